# language: ja
@phase-store-trial @rule-records-content @rule-fee-confirmed-only
機能: 実店舗試験 — 乱数の種から作る1日の営業と閉店後の清算
  3社の事業者の全店舗・全端末で、住民が朝から晩まで同時に来店する。カードの拒否、
  暗証番号の打ち間違い、何も交付できない住民、紙詰まり、用紙切れ、支払い前の取消、
  立ち去りが混ざる。閉店後、端末の売上ジャーナル、交付センターの台帳、候補サーバの
  交付記録が、取引ごと・清算書（市区町村 × 事業者 × 日、月）ごとに一円まで一致する。
  清算書は reports/<run-id>/settlement/ に CSV と JSON で書き出される。

  @catches-fee-for-cancelled-copy @catches-cancel-ignored @catches-cancelled-missing-from-records @catches-wrong-fee-table
  @catches-unknown-operator-rejected @catches-menu-offers-unregistered-seal @catches-other-resident-under-load @snapshot-2026-10-30
  シナリオ: 2026年10月30日の営業日を閉めると、三つの帳簿が一円まで一致する
    前提 実店舗試験の営業日は "2026-10-30"、乱数の種は 20261030 である
    もし すべての事業者の全端末で1台あたり 40 人の来店を同時に受け付ける
    ならば 300 件以上の交付があり、3 社以上の事業者の端末が使われる
    かつ 市区町村が提供するすべての種類の証明書が交付される
    かつ カードの拒否、印刷の失敗、支払い前の取消、時間切れがどれも起きる
    かつ 候補サーバは自らのメニューにある請求をすべて交付し、すべての印刷結果を受け取る
    かつ 閉店後、営業日の売上ジャーナル・交付センターの台帳・候補サーバの記録が 300 件以上の取引で一円まで一致する
    かつ 営業日の清算書はレビュー済みのスナップショットと一致する
