# language: ja
@phase-restrictions @rule-unknown-card
機能: 利用者制限試験 — 誰にも対応しないカード
  カードの利用者証明用電子証明書のシリアル番号が誰にも対応しないとき、メニューは空で
  （利用登録申請の状態も示さず）、どの請求も not-issuable で断る。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ 未登録のカードを置く

  @rule-empty-menu @catches-not-issuable-as-403 @catches-unknown-card-own-code @rule-error-answer @rule-error-codes-closed
  シナリオ: 未登録のカードのメニューは空で、どの種類を請求しても断られる
    もし メニューを要求する
    ならば メニューは空である
    かつ メニューに利用登録申請の状態はない
    かつ メニューが示さない種類と年度は、直接請求してもすべて断られる

  @requires-koseki-non-resident @rule-registration-refusals @catches-unknown-card-own-code
  シナリオ: 未登録のカードでは利用登録申請も断られる
    前提 対象の市区町村は "990002" である
    もし メニューを要求する
    ならば メニューは空である
    かつ メニューに利用登録申請の状態はない
    もし 利用登録申請を提出する
    ならば HTTP 422 でエラーコード "not-issuable" が返る
