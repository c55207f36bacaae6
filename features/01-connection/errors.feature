# language: ja
@phase-connection
機能: 接続試験 — 不正な要求とエラーモデル
  不正な要求には、プロファイルが定める HTTP ステータスとエラーコードで答える。
  サーバが落ちたり、既定外の応答を返したりしてはならない。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く

  @catches-serves-unknown-municipality @rule-unknown-municipality @catches-error-without-version-header @rule-error-answer @rule-version-header
  シナリオ: 担当外の団体コードには unknown-municipality を返す
    もし 団体コード "999999" のメニューを要求する
    ならば HTTP 404 でエラーコード "unknown-municipality" が返る

  @catches-malformed-request-500 @rule-strict-json
  シナリオ: 壊れた JSON には malformed-request を返す
    もし 壊れた JSON を交付要求として送る
    ならば HTTP 400 でエラーコード "malformed-request" が返る

  @catches-no-body-limit @rule-body-limit @catches-payload-too-large-as-text @rule-json-bodies
  シナリオ: 64 KiB を超える要求には payload-too-large を返す
    もし 上限を超える大きさの交付要求を送る
    ならば HTTP 413 でエラーコード "payload-too-large" が返る

  @catches-profile-version-ignored @rule-version-exact
  シナリオ: 知らないプロファイル版の要求は unsupported-profile-version で断る
    もし プロファイル版 "0.9" を名乗ってメニューを要求する
    ならば HTTP 400 でエラーコード "unsupported-profile-version" が返る

  @catches-profile-version-ignored @rule-version-exact
  シナリオ: 一つ前の版 1.1 を名乗る要求も断る（版の比較は完全一致）
    もし プロファイル版 "1.1" を名乗ってメニューを要求する
    ならば HTTP 400 でエラーコード "unsupported-profile-version" が返る

  @catches-profile-version-ignored @rule-version-exact
  シナリオ: 将来のメジャー版を名乗る要求も断る
    もし プロファイル版 "2.0" を名乗ってメニューを要求する
    ならば HTTP 400 でエラーコード "unsupported-profile-version" が返る
