# language: ja
@phase-issuance @requires-type-juminhyo-kisai
機能: 交付試験 — 住民票記載事項証明書
  住民票記載事項証明書の記載事項は住民票の写しと同じ規則で住民記録と一致し、
  専用の証明文を印字する。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ 証明書 "住民票記載事項証明書" を選ぶ

  @catches-wrong-certification-statement @catches-seireki-issue-date @rule-certification-statement @rule-pdf-wareki
  シナリオ: 本人のみの住民票記載事項証明書
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 証明文と市区町村長の職名・氏名と証明書番号が印字されている
    かつ 交付日は受付日の和暦で印字されている

  @catches-removed-person-listed @catches-household-only-holder
  @catches-individual-number-printed @catches-resident-code-printed @rule-scope-household @rule-removed-persons @rule-pdf-no-numbers-printed
  シナリオ: 世帯全員の住民票記載事項証明書に消除者・個人番号・住民票コードは載らない
    前提 カード "C001" を置く
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書に個人番号と住民票コードは印字されていない

  @catches-kanji-substituted @catches-members-scope-whole-household @rule-code-points @rule-scope-members
  シナリオ: 世帯の一部の住民票記載事項証明書で髙の字が保たれる
    前提 カード "C009" を置く
    かつ 交付範囲 "世帯の一部" を選ぶ
    かつ 世帯員 "R010" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に氏名が同じ文字で印字されている
