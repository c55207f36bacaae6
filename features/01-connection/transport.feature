# language: ja
@phase-connection
機能: 接続試験 — 相互TLS
  市区町村プロファイルが相互TLSを主張する場合、証明発行サーバは交付センターの
  クライアント証明書を持たない接続を拒否する。

  @requires-mtls @catches-mtls-not-enforced @catches-mtls-optional-dropped @rule-mtls-handshake @rule-mtls-every-connection
  シナリオ: クライアント証明書のない接続は拒否される
    もし クライアント証明書なしで識別情報を要求する
    ならば 接続は拒否される

  @requires-mtls @catches-mtls-not-enforced @rule-mtls-handshake
  シナリオ: 交付センター以外の認証局が発行したクライアント証明書は拒否される
    もし 関係のない認証局のクライアント証明書で識別情報を要求する
    ならば 接続は拒否される

  @requires-mtls @rule-mtls-handshake @catches-identity-wrong-profile-version
  シナリオ: 交付センターのクライアント証明書なら接続できる
    もし 識別情報を要求する
    ならば 識別情報のプロファイル版は "1.2" である
