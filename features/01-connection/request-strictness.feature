# language: ja
@phase-connection @requires-type-juminhyo
機能: 接続試験 — 要求の読み方
  要求の本文は厳密に読む。JSON でないもの、必須の項目を欠くもの、型の違う項目やスキーマに
  ない項目を持つものは 400 malformed-request で断る。省いた任意の項目とその既定値は同じに
  扱う（options を省けば {} と同じ）。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く

  @rule-strict-json @catches-unknown-request-field-ignored
  シナリオアウトライン: スキーマに合わない交付要求は malformed-request で断られる
    もし 住民票の写しの交付要求を "<崩し方>" にして送る
    ならば HTTP 400 でエラーコード "malformed-request" が返る

    例:
      | 崩し方                             |
      | 定義にない項目を加えたもの         |
      | 選択肢に定義にない項目を加えたもの |
      | 必須の項目 certificate を欠いたもの |
      | 部数を文字列にしたもの             |

  @requires-type-inkan @rule-omitted-is-default @catches-omitted-options-rejected
  シナリオ: 選択肢 options を省いた印鑑登録証明書の要求は、空の選択肢と同じに交付される
    もし 選択肢 options を省いて印鑑登録証明書を 1 通請求する
    ならば 交付要求は HTTP 201 で受け付けられる

  @rule-omitted-is-default @catches-option-presence-means-true
  シナリオ: 表示しない選択肢を false と明示した住民票の写しの要求も、省いたときと同じに交付される
    もし 表示しない選択肢を false と明示して住民票の写しを 1 通請求する
    ならば 交付要求は HTTP 201 で受け付けられる
