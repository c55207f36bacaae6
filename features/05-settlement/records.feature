# language: ja
@phase-settlement @requires-type-juminhyo
機能: 清算試験 — 交付記録
  印刷された部数だけが確定として数えられ、手数料がかかる。印刷できなかった部数は
  取消として記録に残る。記録は日本時間の業務日で引ける。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ

  @regression @rule-records-content @catches-copies-charged-as-one
  シナリオ: 全部数が印刷されれば全部数が確定する
    もし 2 通を請求する
    かつ すべての部数の印刷を確定として報告する
    ならば 記録の確定部数は 2 で交付手数料は 400 円である

  @catches-fee-for-cancelled-copy @catches-cancel-ignored @rule-fee-confirmed-only
  シナリオ: 2通目の紙詰まりは取消として記録され、手数料はかからない
    もし 2 通を請求する
    かつ 1 通目までを確定、残りを取消として報告する
    ならば 記録の確定部数は 1 で交付手数料は 200 円である
    かつ 記録の各部数の状態は "confirmed,cancelled" である

  @catches-cancelled-missing-from-records @catches-cancel-ignored @rule-records-every-state
  シナリオ: 全部数が取消された交付も記録に残る
    もし 1 通を請求する
    かつ 0 通目までを確定、残りを取消として報告する
    ならば 記録の確定部数は 0 で交付手数料は 0 円である
    かつ 記録の各部数の状態は "cancelled" である

  @catches-records-dated-utc @rule-business-date
  シナリオ: 早朝の交付は日本時間の業務日の記録に載る
    前提 受付日時は "2026-11-26T07:30:00+09:00" である
    もし 1 通を請求する
    かつ すべての部数の印刷を確定として報告する
    ならば 記録の確定部数は 1 で交付手数料は 200 円である

  @catches-unknown-operator-rejected @rule-unknown-operator
  シナリオ: 初めて見る事業者コードの端末からの請求も交付される
    前提 事業者 "OP-NEW" の店舗 "S900" の端末 "T901" を使う
    もし 1 通を請求する
    ならば 証明書が交付される
