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

  @requires-type-juminhyo @catches-request-id-conflict-ignored @rule-request-id-conflict
  シナリオ: 同じ要求IDで内容の違う要求は request-id-conflict で断られ、記録は一件のまま
    もし 1 通を請求する
    かつ 同じ要求IDで部数を 2 通に変えて再送する
    ならば HTTP 409 でエラーコード "request-id-conflict" が返る
    かつ 記録は 1 件だけである
    かつ 記録の各部数の状態は "pending" である

  @requires-type-juminhyo @catches-refusal-remembered @rule-refusal-not-remembered
  シナリオ: 断られた要求は覚えられず、同じ要求IDで直した要求は新たに評価されて交付される
    もし 部数の上限より 1 通多く請求する
    ならば HTTP 422 でエラーコード "invalid-request" が返る
    もし 同じ要求IDで部数を 1 通に変えて再送する
    ならば 直した要求は新たに評価されて交付される
    かつ 記録は 1 件だけである
