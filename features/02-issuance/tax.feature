# language: ja
@phase-issuance @rule-content-exact
機能: 交付試験 — 課税(非課税)証明書・所得証明書
  税の証明書は、選んだ年度の賦課（その市区町村による課税）を、所得の年（年度の前年）、
  氏名、住所とともに印字する。非課税の人の税額は 0 円である。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く

  @regression
  @requires-type-kazei @catches-tax-assessment-by-income-year
  シナリオ: 2024年度の課税証明書
    前提 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2024 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-kazei @catches-tax-assessment-by-income-year
  シナリオ: 2025年度の課税証明書
    前提 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2025 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-kazei @catches-tax-assessment-by-income-year
  シナリオ: 2026年度の課税証明書
    前提 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2026 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 証明文と市区町村長の職名・氏名と証明書番号が印字されている

  @requires-type-shotoku @catches-tax-assessment-by-income-year
  シナリオ: 2024年度の所得証明書
    前提 証明書 "所得証明書" を選ぶ
    かつ 年度 2024 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-shotoku @catches-tax-assessment-by-income-year
  シナリオ: 2025年度の所得証明書
    前提 証明書 "所得証明書" を選ぶ
    かつ 年度 2025 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-shotoku @catches-tax-assessment-by-income-year
  シナリオ: 2026年度の所得証明書
    前提 証明書 "所得証明書" を選ぶ
    かつ 年度 2026 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 証明文と市区町村長の職名・氏名と証明書番号が印字されている

  @requires-type-kazei @catches-tax-assessment-by-income-year
  シナリオ: 非課税の人の課税(非課税)証明書は税額 0 円を印字する
    前提 カード "C037" を置く
    かつ 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2026 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-shotoku @catches-tax-assessment-by-income-year
  シナリオ: 転入した年の翌年度だけ課税のある人の所得証明書
    前提 カード "C036" を置く
    かつ 証明書 "所得証明書" を選ぶ
    かつ 年度 2025 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する

  @requires-type-kazei @catches-issue-date-utc @catches-wrong-sha256 @catches-letter-paper @rule-reception-time-is-now
  シナリオ: 早朝に受け付けた課税証明書の交付日は日本時間の日付になる
    前提 受付日時は "2026-11-26T06:30:00+09:00" である
    かつ 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2026 を選ぶ
    もし 1 通を請求する
    ならば 交付日は受付日の和暦で印字されている
    かつ 文書は A4 縦の PDF で宣言どおりのページ数とハッシュを持つ

  @requires-type-kazei @catches-tax-current-address @rule-register-records-less
  シナリオ: 年度の途中で転居した人の課税証明書は、その年度の1月1日の住所を印字する
    前提 カード "C037" を置く
    かつ 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2024 を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-kazei @catches-tax-amount-ungrouped @catches-income-year-printed-as-fiscal-year @rule-pdf-tax-format
  シナリオ: 課税証明書は年度・所得の年・金額をプロファイルの書式で印字する
    前提 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2026 を選ぶ
    もし 1 通を請求する
    ならば 文書に年度・所得の年・金額がプロファイルの書式で印字されている

  @requires-type-shotoku @catches-tax-amount-ungrouped @rule-pdf-tax-format
  シナリオ: 非課税の人の所得証明書も書式どおりに印字し、税額は 0円 である
    前提 カード "C037" を置く
    かつ 証明書 "所得証明書" を選ぶ
    かつ 年度 2025 を選ぶ
    もし 1 通を請求する
    ならば 文書に年度・所得の年・金額がプロファイルの書式で印字されている
