# language: ja
@phase-issuance
機能: 交付試験 — 記載事項と本文のスナップショット
  交付された証明書の記載事項（JSON）と PDF から抽出した本文を、確認済みのスナップショット
  （fixtures/snapshots/<候補サーバのキー>/）と比べる。証明書番号・交付ID・要求ID・時刻は
  伏せ字にし、交付日は受付日時で決まるので残す。新しいシナリオはこのファイルの末尾に
  追加する（スナップショット名はシナリオの @snapshot-<id> タグから付く）。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である

  @requires-type-juminhyo @snapshot-juminhyo-self @catches-resident-code-printed
  シナリオ: 本人のみの住民票の写しのスナップショット
    前提 カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-juminhyo @snapshot-juminhyo-household @catches-household-only-holder
  シナリオ: 世帯主・続柄と本籍・筆頭者を表示した世帯全員の住民票の写しのスナップショット
    前提 カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    かつ 本籍・筆頭者を表示する
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-juminhyo @snapshot-juminhyo-members @catches-members-scope-whole-household
  シナリオ: 世帯の一部の住民票の写しのスナップショット
    前提 カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "世帯の一部" を選ぶ
    かつ 世帯員 "R001, R005" を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-juminhyo @snapshot-juminhyo-foreign-household @catches-wrong-page-count
  シナリオ: 外国人住民の世帯の住民票の写しのスナップショット
    前提 カード "C023" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    かつ 本籍・筆頭者を表示する
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-juminhyo-kisai @snapshot-juminhyo-kisai @catches-kanji-substituted
  シナリオ: 𠮷田 花子の住民票記載事項証明書のスナップショット
    前提 カード "C007" を置く
    かつ 証明書 "住民票記載事項証明書" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-inkan @snapshot-inkan @catches-seireki-issue-date
  シナリオ: 印鑑登録証明書のスナップショット
    前提 カード "C001" を置く
    かつ 証明書 "印鑑登録証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-kazei @snapshot-kazei-2026 @catches-tax-assessment-by-income-year
  シナリオ: 2026年度の課税証明書のスナップショット
    前提 カード "C001" を置く
    かつ 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2026 を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-kazei @snapshot-kazei-exempt @catches-tax-assessment-by-income-year
  シナリオ: 非課税の人の課税(非課税)証明書のスナップショット
    前提 カード "C037" を置く
    かつ 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2025 を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-shotoku @snapshot-shotoku-2025 @catches-tax-assessment-by-income-year
  シナリオ: 2025年度の所得証明書のスナップショット
    前提 カード "C036" を置く
    かつ 証明書 "所得証明書" を選ぶ
    かつ 年度 2025 を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-koseki-zenbu @snapshot-koseki-zenbu @catches-letter-paper
  シナリオ: 戸籍全部事項証明書のスナップショット
    前提 カード "C001" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-koseki-kojin @requires-koseki-non-resident @requires-honseki-municipality @snapshot-koseki-kojin-shirasuna @catches-koseki-kojin-lists-all
  シナリオ: 本籍地の白砂町が交付する戸籍個人事項証明書のスナップショット
    前提 対象の市区町村は "990002" である
    かつ カード "C039" を置く
    かつ 証明書 "戸籍個人事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-fuhyo @snapshot-fuhyo @catches-letter-paper
  シナリオ: 戸籍の附票の写しのスナップショット
    前提 カード "C001" を置く
    かつ 証明書 "戸籍の附票の写し" を選ぶ
    もし 1 通を請求する
    ならば 記載事項と本文のスナップショットが一致する

  @requires-type-fuhyo @requires-koseki-non-resident @requires-honseki-municipality @snapshot-fuhyo-shirasuna @catches-wrong-fee-table
  シナリオ: 本籍地の白砂町が交付する戸籍の附票の写しのスナップショット
    前提 対象の市区町村は "990002" である
    かつ カード "C039" を置く
    かつ 証明書 "戸籍の附票の写し" を選ぶ
    もし 3 通を請求する
    ならば 記載事項と本文のスナップショットが一致する
