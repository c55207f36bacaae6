# language: ja
@phase-register-feed @requires-register-feed
機能: 異動連携試験 — 届け方と答え方
  異動の配信は事象IDについて冪等である: 同じ事象を二度届けても一度だけ反映し、同じ事象IDで
  別の内容を届けると request-id-conflict で断る。形の壊れた異動は malformed-request、住民記録に
  ない人・世帯・申請を名指す異動や空の項目は invalid-request で断り、何も変えない。

  @requires-type-fuhyo @catches-feed-duplicate-applied-twice @rule-feed-idempotent @rule-feed-address-history
  シナリオ: 同じ転出を二度届けても、二度目は反映済みと答え、附票に転出先は一度だけ載る
    前提 カード "C222" を置く
    かつ 証明書 "戸籍の附票の写し" を選ぶ
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類   | 転出                         |
      | 住民   | R223                         |
      | 異動日 | 2026-11-26                   |
      | 転出先 | 架空県海辺市浜町四丁目2番2号 |
    ならば 異動は反映済みとして受け付けられる
    もし 同じ異動をもう一度届ける
    ならば 異動は既に反映済みと答えられ、何も変わらない
    前提 受付日時は "2026-11-26T10:01:00+09:00" である
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 記載事項は住民記録と一致する

  @requires-type-inkan @catches-feed-event-id-conflict-accepted @rule-feed-idempotent @rule-feed-order-of-checks
  シナリオ: 同じ事象IDで別の異動を届けると断られ、先の異動だけが効力を持つ
    前提 カード "C230" を置く
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類 | 印鑑登録の廃止 |
      | 住民 | R230           |
    ならば 異動は反映済みとして受け付けられる
    もし 同じ事象IDで次の異動を届ける
      | 種類     | 氏名の変更  |
      | 住民     | R230        |
      | 氏名     | 小川 健     |
      | 振り仮名 | オガワ ケン |
    ならば HTTP 409 でエラーコード "request-id-conflict" が返る
    前提 受付日時は "2026-11-26T10:01:00+09:00" である
    かつ 証明書 "印鑑登録証明書" を選ぶ
    もし 1 通を請求する
    ならば 交付は断られ、窓口への案内だけが返る
    前提 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 記載事項の氏名は "小川 健太" である

  @requires-type-inkan @catches-feed-unknown-person-accepted @rule-feed-invalid @rule-feed-order-of-checks
  シナリオ: 住民記録にない人・世帯・申請を名指す異動と空の項目は invalid-request で断られ、何も変えない
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類 | 印鑑登録の廃止 |
      | 住民 | R999           |
    ならば HTTP 422 でエラーコード "invalid-request" が返る
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類   | 世帯の変更 |
      | 住民   | R231       |
      | 世帯   | H999       |
      | 続柄   | 子         |
      | 異動日 | 2026-11-26 |
    ならば HTTP 422 でエラーコード "invalid-request" が返る
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類 | 利用登録申請の決定 |
      | 申請 | REG-990001-999999  |
      | 決定 | 承認               |
    ならば HTTP 422 でエラーコード "invalid-request" が返る
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類 | 利用登録申請の決定 |
      | 申請 | REG-990002-000214  |
      | 決定 | 却下               |
    ならば HTTP 422 でエラーコード "invalid-request" が返る
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類     | 氏名の変更 |
      | 住民     | R231       |
      | 氏名     |            |
      | 振り仮名 | イシダ     |
    ならば HTTP 422 でエラーコード "invalid-request" が返る
    前提 受付日時は "2026-11-26T10:01:00+09:00" である
    かつ カード "C231" を置く
    かつ 証明書 "印鑑登録証明書" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 記載事項の氏名は "石田 恵" である

  @catches-feed-unknown-fields-ignored @rule-feed-malformed
  シナリオ: 形の壊れた異動は malformed-request で断られる
    もし 異動連携で次の本文を届ける
      """
      { "event_id": "6c1f3a8e-2b4d-4e6f-8a0b-1c2d3e4f5a61", "effective_at": "2026-11-26T10:00:00+09:00", "change": { "kind": "seal-abolished", "person": "R231" }, "note": "unknown field" }
      """
    ならば HTTP 400 でエラーコード "malformed-request" が返る
    もし 異動連携で次の本文を届ける
      """
      { "event_id": "6c1f3a8e-2b4d-4e6f-8a0b-1c2d3e4f5a62", "effective_at": "2026-11-26T10:00:00+09:00", "change": { "kind": "moved-to-the-moon", "person": "R231" } }
      """
    ならば HTTP 400 でエラーコード "malformed-request" が返る
    もし 異動連携で次の本文を届ける
      """
      { "event_id": "6c1f3a8e-2b4d-4e6f-8a0b-1c2d3e4f5a63", "effective_at": "2026-11-26T10:00:00+09:00", "change": { "kind": "seal-abolished", "person": null } }
      """
    ならば HTTP 400 でエラーコード "malformed-request" が返る
    もし 異動連携で次の本文を届ける
      """
      { "event_id": "6c1f3a8e-2b4d-4e6f-8a0b-1c2d3e4f5a64", "change": { "kind": "seal-abolished", "person": "R231" } }
      """
    ならば HTTP 400 でエラーコード "malformed-request" が返る

  @requires-no-register-feed @catches-feed-taken-without-claim @rule-feed-claimed
  シナリオ: 異動連携を主張しない市区町村への異動は not-offered で断られる
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 市区町村 | 990002         |
      | 種類     | 支援措置の終了 |
      | 住民     | R231           |
    ならば HTTP 422 でエラーコード "not-offered" が返る
