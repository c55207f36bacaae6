# language: ja
@phase-issuance @requires-type-juminhyo
機能: 交付試験 — 住民票の写し
  住民票の写しの記載事項は住民記録と一致し、PDF は A4 縦で、フォントを埋め込み、
  氏名を登録どおりの文字で印字し、個人番号と住民票コードは決して印字しない。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ 証明書 "住民票の写し" を選ぶ

  @regression @rule-content-exact @rule-issuance-answer @catches-null-for-omitted-field @catches-content-carries-resident-code @rule-no-null @rule-exact-fields
  シナリオ: 本人のみの住民票の写しが住民記録どおりに交付される
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 記載事項は住民記録と一致する

  @catches-wrong-page-count @catches-wrong-sha256 @catches-letter-paper @rule-pdf-a4 @rule-pdf-sha256
  シナリオ: 文書は A4 縦の PDF で、宣言どおりのページ数とハッシュを持つ
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 文書は A4 縦の PDF で宣言どおりのページ数とハッシュを持つ

  @catches-fonts-not-embedded @rule-pdf-fonts-embedded
  シナリオ: 文書のフォントは埋め込まれている
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 文書のフォントは埋め込まれている
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-individual-number-printed @catches-resident-code-printed @rule-pdf-no-numbers-printed
  シナリオ: 個人番号と住民票コードは印字されない
    前提 カード "C001" を置く
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    もし 1 通を請求する
    ならば 文書に個人番号と住民票コードは印字されていない

  @catches-wrong-certification-statement @rule-certification-statement @rule-pdf-mayor
  シナリオ: 証明文と市区町村長の職名・氏名、証明書番号が印字される
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 証明文と市区町村長の職名・氏名と証明書番号が印字されている

  @catches-seireki-issue-date @rule-pdf-wareki
  シナリオ: 交付日は和暦で印字される
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 交付日は受付日の和暦で印字されている

  @catches-issue-date-utc @rule-jst-times @rule-reception-time-is-now
  シナリオ: 早朝の受付でも交付日は日本時間の日付になる
    前提 受付日時は "2026-11-26T07:30:00+09:00" である
    かつ カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 交付日は受付日の和暦で印字されている

  @catches-removed-person-listed @catches-household-only-holder @catches-page-subject-missing @rule-scope-household @rule-pdf-every-page
  シナリオ: 世帯全員の写しには現在の世帯員全員が載り、消除者は載らない
    前提 カード "C001" を置く
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-honseki-option-ignored @rule-pdf-exact-items
  シナリオ: 本籍・筆頭者を表示した写し
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    かつ 本籍・筆頭者を表示する
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する

  @catches-foreign-alias-omitted @rule-foreign-residents
  シナリオ: 外国人住民の写しには国籍・地域、在留資格、通称が載る
    前提 カード "C023" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-kanji-substituted @rule-code-points @rule-pdf-text
  シナリオ: 𠮷（つちよし）は吉に置き換えられない
    前提 カード "C007" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項の氏名は "𠮷田 花子" である
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-kanji-substituted @rule-code-points @rule-pdf-text
  シナリオ: 髙（はしごだか）は高に置き換えられない
    前提 カード "C009" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項の氏名は "髙橋 誠" である
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-kanji-substituted @rule-code-points @rule-pdf-text
  シナリオ: 﨑（たつさき）と德は置き換えられない
    前提 カード "C011" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項の氏名は "山﨑 大輔" である
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-members-scope-whole-household @rule-scope-members
  シナリオ: 世帯の一部の写しには選んだ世帯員だけが住民記録の順に載る
    前提 カード "C001" を置く
    かつ 交付範囲 "世帯の一部" を選ぶ
    かつ 世帯員 "R004, R001" を選ぶ
    かつ 世帯主・続柄を表示する
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 文書に選ばなかった世帯主・続柄と本籍・筆頭者は印字されていない

  @catches-household-only-holder @catches-household-head-always-printed @rule-pdf-exact-items
  シナリオ: 続柄を表示しない世帯全員の写しには世帯主・続柄が載らない
    前提 カード "C001" を置く
    かつ 交付範囲 "世帯全員" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 文書に選ばなかった世帯主・続柄と本籍・筆頭者は印字されていない

  @catches-removed-person-listed @rule-scope-household @rule-removed-persons
  シナリオ: 世帯主が死亡した世帯の世帯全員の写しに消除者は載らない
    前提 カード "C030" を置く
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @catches-honseki-option-ignored @rule-pdf-exact-items
  シナリオ: 世帯主・続柄と本籍・筆頭者をともに表示した世帯全員の写し
    前提 カード "C001" を置く
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    かつ 本籍・筆頭者を表示する
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @catches-foreign-alias-omitted @rule-foreign-residents
  シナリオ: 外国人住民の世帯では、本籍を選んでも外国人住民には国籍・地域と通称が載る
    前提 カード "C023" を置く
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    かつ 本籍・筆頭者を表示する
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @catches-household-head-always-printed @rule-pdf-exact-items
  シナリオ: 世帯主でない人の本人のみの写しに世帯主の氏名は載らない
    前提 カード "C002" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 文書に選ばなかった世帯主・続柄と本籍・筆頭者は印字されていない

  @catches-copies-charged-as-one @rule-issuance-answer
  シナリオ: 1 回の取引で 3 通を請求すると、3 通分の手数料で 1 通の文書が交付される
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 3 通を請求する
    ならば 部数と交付手数料は請求と市区町村プロファイルの主張どおりである
    かつ 記載事項は住民記録と一致する

  @rule-options-fit-type @catches-copies-limit-off-by-one
  シナリオ: 部数の上限を超える請求は invalid-request で断られる
    前提 カード "C001" を置く
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 11 通を請求する
    ならば HTTP 422 でエラーコード "invalid-request" が返る

  @catches-wrong-page-count @catches-footer-white-on-later-pages @rule-pdf-every-page
  シナリオ: 8人世帯の世帯全員の写しは3ページ以上にわたり、どのページも同じ証明書と同じ世帯のものである
    前提 カード "C049" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    かつ 本籍・筆頭者を表示する
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書は 3 ページ以上である
    かつ 記載事項は住民記録と一致する
    かつ 文書の本文に氏名が同じ文字で印字されている

  @requires-type-koseki-zenbu @catches-page-from-another-document @rule-pdf-every-page
  シナリオ: 続けて交付された二つの複数ページの証明書は、どのページもそれぞれの証明書のものである
    前提 カード "C050" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書は 2 ページ以上である
    前提 カード "C049" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "世帯全員" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書は 2 ページ以上である
    かつ 記載事項は住民記録と一致する

  @catches-member-id-unstable @rule-member-id-stable
  シナリオ: メニューを読んでから2分後の請求でも、メニューの世帯員IDで世帯の一部の写しが交付される
    前提 カード "C001" を置く
    もし メニューを要求する
    前提 受付日時は "2026-11-26T10:02:00+09:00" である
    かつ 交付範囲 "世帯の一部" を選ぶ
    かつ 世帯員 "R004, R001" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 記載事項は住民記録と一致する
