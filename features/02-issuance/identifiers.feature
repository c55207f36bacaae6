# language: ja
@phase-issuance @requires-type-juminhyo @requires-type-inkan
機能: 交付試験 — 交付の識別子と証明書番号
  交付ID（issuance_id）はパスに入るので英数字と - . _ ~ の 1〜64 文字で、証明書番号
  （certificate_number）は市区町村の中で一意である。どちらも個人番号・住民票コード・氏名を
  含まない。kofu は受け取ったすべての交付を、実行の全体を通してこの規則で監査する。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く

  @rule-certificate-number-unique @rule-id-charset @rule-id-no-personal-data
  @catches-certificate-number-per-type @catches-certificate-number-from-resident-code
  @catches-issuance-id-unsafe-characters
  シナリオ: 同じ日に同じ人へ交付した住民票の写しと印鑑登録証明書は、違う証明書番号と安全な交付IDを持つ
    前提 証明書 "印鑑登録証明書" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    前提 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
