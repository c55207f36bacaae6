# language: ja
@phase-settlement @requires-type-juminhyo @rule-replay-same-issuance @rule-records-every-state @rule-center-resends
機能: 清算試験 — 同じ要求IDの再送
  交付センターは、応答が届かなかった交付要求を同じ要求IDで再送する。記録は一件のまま、
  手数料も一度だけ数えられる。

  背景:
    前提 受付日時は "2026-11-26T15:00:00+09:00" である
    かつ カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ

  @catches-not-idempotent
  シナリオ: 再送された交付は記録に一件だけ残り、確定した部数の手数料が一度だけかかる
    もし 2 通を請求する
    かつ 同じ要求IDで同じ要求を再送する
    かつ すべての部数の印刷を確定として報告する
    ならば 記録は 1 件だけである
    かつ 記録の確定部数は 2 で交付手数料は 400 円である
