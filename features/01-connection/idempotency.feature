# language: ja
@phase-connection
機能: 接続試験 — 要求IDによる冪等性
  交付センターは、応答が届かなかった要求を同じ要求IDで再送する。証明発行サーバは
  同じ交付を返し、記録を二重にしてはならない。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ

  @requires-type-juminhyo @catches-not-idempotent @rule-idempotent-request-id @rule-replay-same-issuance
  シナリオ: 同じ要求IDの再送には同じ交付が返り、記録は一件だけ
    もし 1 通を請求する
    かつ 同じ要求IDで同じ要求を再送する
    ならば 2 つの応答は同じ交付である
    かつ 記録は 1 件だけである
