# language: ja
@phase-connection
機能: 接続試験 — 識別情報とプロファイル版
  証明発行サーバは、交付センターに対して自らの識別情報（話すプロファイル版と
  担当する市区町村の団体コード）を返す。すべての応答はプロファイル版ヘッダを持つ。

  @catches-identity-wrong-profile-version @rule-identity
  シナリオ: 識別情報はプロファイル版 1.2 を名乗る
    もし 識別情報を要求する
    ならば 識別情報のプロファイル版は "1.2" である

  @catches-missing-version-header @rule-version-header
  シナリオ: 応答はプロファイル版ヘッダを持つ
    もし 識別情報を要求する
    ならば 応答ヘッダのプロファイル版は "1.2" である

  @catches-identity-omits-municipality @rule-identity
  シナリオ: 識別情報は主張するすべての市区町村を担当すると答える
    もし 識別情報を要求する
    ならば 識別情報は市区町村プロファイルが主張するすべての団体コードを含む
