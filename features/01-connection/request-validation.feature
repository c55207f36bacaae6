# language: ja
@phase-connection
機能: 接続試験 — 要求本文の型と値の範囲
  プロファイルの規則: copies はどんな JSON の整数でも形式としては正しく、1 から max_copies
  の外なら 422 invalid-request。小数や文字列は 400 malformed-request。要求に null は
  決して現れず、null を含む要求は省略と同じには扱わず 400 malformed-request で断る。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く

  @rule-copies-any-integer @rule-copies-field @catches-copies-charged-as-one
  シナリオ: copies が max_copies ちょうどなら交付される
    もし 本人のみの住民票の写し 1 通の交付要求の "copies" を "10" にして送る
    ならば 証明書が交付される

  @rule-copies-any-integer @rule-copies-field @catches-copies-zero-accepted
  シナリオ: copies 0 は invalid-request
    もし 本人のみの住民票の写し 1 通の交付要求の "copies" を "0" にして送る
    ならば HTTP 422 でエラーコード "invalid-request" が返る

  @catches-copies-negative-malformed @rule-copies-any-integer @rule-copies-field
  シナリオ: copies -1 は整数なので malformed-request ではなく invalid-request
    もし 本人のみの住民票の写し 1 通の交付要求の "copies" を "-1" にして送る
    ならば HTTP 422 でエラーコード "invalid-request" が返る

  @rule-copies-any-integer @rule-copies-field @catches-copies-limit-off-by-one
  シナリオ: max_copies を超える copies は invalid-request
    もし 本人のみの住民票の写し 1 通の交付要求の "copies" を "11" にして送る
    ならば HTTP 422 でエラーコード "invalid-request" が返る

  @catches-copies-negative-malformed @rule-copies-any-integer @rule-copies-field
  シナリオ: 64 ビットに収まらない整数の copies も invalid-request
    もし 本人のみの住民票の写し 1 通の交付要求の "copies" を "18446744073709551616" にして送る
    ならば HTTP 422 でエラーコード "invalid-request" が返る

  @rule-copies-any-integer @rule-copies-field @catches-malformed-request-500
  シナリオ: 小数の copies は malformed-request
    もし 本人のみの住民票の写し 1 通の交付要求の "copies" を "1.5" にして送る
    ならば HTTP 400 でエラーコード "malformed-request" が返る

  @rule-copies-any-integer @rule-copies-field @catches-malformed-request-500
  シナリオ: 文字列の copies は malformed-request
    もし 本人のみの住民票の写し 1 通の交付要求の "copies" を '"1"' にして送る
    ならば HTTP 400 でエラーコード "malformed-request" が返る

  @rule-omitted-is-default @catches-option-presence-means-true
  シナリオ: 省略できる項目を既定値で明示した要求は交付される
    もし 本人のみの住民票の写し 1 通の交付要求の "options.show_honseki" を "false" にして送る
    ならば 証明書が交付される

  @catches-null-accepted-as-omitted @rule-no-null-in-requests @rule-strict-json
  シナリオ: options の members が null なら malformed-request
    もし 本人のみの住民票の写し 1 通の交付要求の "options.members" を "null" にして送る
    ならば HTTP 400 でエラーコード "malformed-request" が返る

  @catches-null-accepted-as-omitted @rule-no-null-in-requests @rule-strict-json
  シナリオ: options そのものが null なら malformed-request
    もし 本人のみの住民票の写し 1 通の交付要求の "options" を "null" にして送る
    ならば HTTP 400 でエラーコード "malformed-request" が返る

  @catches-null-accepted-as-omitted @rule-no-null-in-requests @rule-strict-json
  シナリオ: 年度が null なら malformed-request
    もし 本人のみの住民票の写し 1 通の交付要求の "options.fiscal_year" を "null" にして送る
    ならば HTTP 400 でエラーコード "malformed-request" が返る
