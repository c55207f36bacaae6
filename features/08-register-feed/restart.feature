# language: ja
@phase-register-feed @requires-register-feed @requires-type-inkan @requires-restart @serial
機能: 異動連携試験 — 再起動
  答えた異動は、候補サーバを再起動しても失われない。再起動の間、他のシナリオは動かない。

  @catches-feed-events-in-memory @rule-feed-survives-restart @rule-feed-kept-before-answer
  シナリオ: 届けた印鑑登録の廃止は、再起動の後も効力を持つ
    前提 カード "C229" を置く
    かつ 証明書 "印鑑登録証明書" を選ぶ
    もし 異動連携で "2026-11-26T10:00:00+09:00" に効力を生じる次の異動を届ける
      | 種類 | 印鑑登録の廃止 |
      | 住民 | R229           |
    ならば 異動は反映済みとして受け付けられる
    もし 候補サーバを再起動する
    前提 受付日時は "2026-11-26T10:01:00+09:00" である
    もし メニューを要求する
    ならば メニューに "印鑑登録証明書" はない
    もし 1 通を請求する
    ならば 交付は断られ、窓口への案内だけが返る
