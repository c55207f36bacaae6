# language: ja
@phase-settlement @requires-type-juminhyo
機能: 清算試験 — 印刷結果の報告の規則
  印刷結果の報告は、知っている交付IDに対してだけ受け付けられる。報告は 1 通以上の部数を
  名指し、同じ部数は一度だけ、どの部数も 1 から交付の部数までである。正しくない報告は
  invalid-request で断られ、何も記録されない。一部数でも記録と食い違う報告は、まるごと
  outcome-conflict で断られ、どの部数も変わらない。記録の照会は、期間の指定が欠けて
  いたり読めなかったりすれば malformed-request、終わりが始まりより前なら
  invalid-request で断られる。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ

  @catches-outcome-unknown-issuance-500 @rule-outcome-unknown-issuance
  シナリオ: 知らない交付IDへの印刷結果の報告は not-found で断られる
    もし 知らない交付IDに部数 "1" を確定として報告する
    ならば HTTP 404 でエラーコード "not-found" が返る

  @catches-outcome-report-checked-before-id @rule-order-other-operations
  シナリオ: 知らない交付IDへの部数を名指さない報告は、invalid-request より先に not-found で断られる
    もし 知らない交付IDに部数 "" を確定として報告する
    ならば HTTP 404 でエラーコード "not-found" が返る

  @catches-outcome-copy-out-of-range-accepted @rule-outcome-report-valid
  シナリオアウトライン: <報告>印刷結果の報告は invalid-request で断られ、記録は変わらない
    もし 2 通を請求する
    かつ 部数 "<部数>" を確定として報告する
    ならば HTTP 422 でエラーコード "invalid-request" が返る
    かつ 記録の各部数の状態は "pending,pending" である

    例:
      | 報告                         | 部数 |
      | 部数を一つも名指さない       |      |
      | 同じ部数を二度名指す         | 1,1  |
      | 0 通目を名指す               | 0    |
      | 2 通の交付の 3 通目を名指す  | 3    |

  @catches-outcome-partial-apply @rule-outcome-atomic
  シナリオ: 一部数でも記録と食い違う報告は outcome-conflict で断られ、どの部数も変わらない
    もし 2 通を請求する
    かつ 部数 "2" を確定として報告する
    かつ 1 通目を確定、2 通目を取消として報告する
    ならば HTTP 409 でエラーコード "outcome-conflict" が返る
    かつ 記録の各部数の状態は "pending,confirmed" である

  @catches-records-reversed-range-empty @rule-records-query
  シナリオアウトライン: 記録の照会は、<期間>と HTTP <状態> の <コード> で断られる
    もし 記録を照会条件 "<照会条件>" で要求する
    ならば HTTP <状態> でエラーコード "<コード>" が返る

    例:
      | 期間                             | 照会条件                      | 状態 | コード            |
      | from が欠けている                | to=2026-11-26                 | 400  | malformed-request |
      | to が読めない日付である          | from=2026-11-26&to=2026-13-01 | 400  | malformed-request |
      | to が from より前である          | from=2026-11-27&to=2026-11-26 | 422  | invalid-request   |
