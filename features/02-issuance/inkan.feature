# language: ja
@phase-issuance @requires-type-inkan
機能: 交付試験 — 印鑑登録証明書
  印鑑登録証明書は登録された氏名・生年月日・住所・印鑑登録番号を印字する。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ 証明書 "印鑑登録証明書" を選ぶ

  @regression @rule-content-exact @catches-certificate-number-from-resident-code
  シナリオ: 印鑑登録のある成人に印鑑登録証明書が交付される
    前提 カード "C001" を置く
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 証明文と市区町村長の職名・氏名と証明書番号が印字されている
    かつ 部数と交付手数料は請求と市区町村プロファイルの主張どおりである

  @catches-kanji-substituted @rule-code-points @rule-pdf-text
  シナリオ: 印鑑登録証明書でも𠮷は吉に置き換えられない
    前提 カード "C007" を置く
    もし 1 通を請求する
    ならば 記載事項の氏名は "𠮷田 花子" である
    かつ 記載事項は住民記録と一致する
    かつ 文書の本文に氏名が同じ文字で印字されている

  @rule-content-exact @catches-certificate-number-from-resident-code
  シナリオ: 外国人住民の印鑑登録証明書
    前提 カード "C023" を置く
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @catches-letter-paper @catches-wrong-page-count @catches-wrong-sha256
  @catches-fonts-not-embedded @catches-seireki-issue-date @rule-pdf-a4 @rule-pdf-fonts-embedded @rule-pdf-wareki @rule-pdf-sha256
  シナリオ: 印鑑登録証明書は A4 縦でフォントを埋め込み、交付日を和暦で印字する
    前提 カード "C034" を置く
    もし 2 通を請求する
    ならば 文書は A4 縦の PDF で宣言どおりのページ数とハッシュを持つ
    かつ 文書のフォントは埋め込まれている
    かつ 交付日は受付日の和暦で印字されている
    かつ 部数と交付手数料は請求と市区町村プロファイルの主張どおりである
