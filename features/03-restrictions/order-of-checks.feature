# language: ja
@phase-restrictions @requires-type-juminhyo
機能: 利用者制限試験 — 断りの順序
  一つの請求に当てはまる断りがいくつもあるとき、サーバはプロファイルの順序で最初のものを
  答える。人による断り（not-issuable）は、人によらない誤り（not-offered、invalid-request）を
  すべて調べた後にだけ答える。そうでなければ、断りの違いから、カードの持ち主について
  誰でも知ることができてしまう。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ 未登録のカードを置く

  @rule-order-of-checks @rule-personal-reasons-last @catches-personal-check-first
  シナリオ: 未登録のカードでも、部数の上限を超える請求には invalid-request が返る
    前提 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 99 通を請求する
    ならば HTTP 422 でエラーコード "invalid-request" が返る

  @requires-type-kazei @rule-order-of-checks @rule-personal-reasons-last @catches-personal-check-first
  シナリオ: 未登録のカードでも、市区町村が取り扱わない年度の請求には not-offered が返る
    前提 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2019 を選ぶ
    もし 1 通を請求する
    ならば HTTP 422 でエラーコード "not-offered" が返る

  @requires-type-inkan @rule-order-of-checks @rule-personal-reasons-last @catches-personal-check-first
  シナリオ: 未登録のカードでも、種類に合わない選択肢の請求には invalid-request が返る
    前提 証明書 "印鑑登録証明書" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば HTTP 422 でエラーコード "invalid-request" が返る
