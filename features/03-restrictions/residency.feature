# language: ja
@phase-restrictions
機能: 利用者制限試験 — 消除者・印鑑・税
  転出・死亡した人には住所地の証明書を交付しない。印鑑登録がない・廃止・成年被後見人
  には印鑑登録証明書を交付しない。課税のない年度は示さず、交付しない。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である

  @catches-moved-out-served @rule-removed-persons
  シナリオ: 転出した人には住民票の写しを交付しない
    前提 カード "C029" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 交付は断られ、窓口への案内だけが返る

  @catches-moved-out-served @rule-removed-persons
  シナリオ: 転出した人のメニューに住民票の写しはない
    前提 カード "C029" を置く
    もし メニューを要求する
    ならば メニューに "住民票の写し" はない

  @requires-type-inkan @catches-seal-abolished-ignored @rule-seal-active-only
  シナリオ: 印鑑登録を廃止した人には印鑑登録証明書を交付しない
    前提 カード "C033" を置く
    かつ 証明書 "印鑑登録証明書" を選ぶ
    もし 1 通を請求する
    ならば 交付は断られ、窓口への案内だけが返る

  @requires-type-inkan @rule-seal-active-only @catches-menu-offers-unregistered-seal
  シナリオ: 成年被後見人には印鑑登録証明書を示さない
    前提 カード "C035" を置く
    もし メニューを要求する
    ならば メニューに "印鑑登録証明書" はない

  @requires-type-inkan @rule-seal-active-only @catches-missing-version-header
  シナリオ: 印鑑登録のある成人には印鑑登録証明書を示す
    前提 カード "C001" を置く
    もし メニューを要求する
    ならば メニューに "印鑑登録証明書" がある

  @requires-type-kazei @catches-unassessed-tax-year-offered @rule-tax-years
  シナリオ: 課税のある年度だけがメニューに示される
    前提 カード "C036" を置く
    もし メニューを要求する
    ならば メニューの "課税(非課税)証明書" の年度は "2025" である

  @requires-type-kazei @catches-unassessed-tax-year-offered @rule-tax-years
  シナリオ: 課税のない年度を直接請求しても断られる
    前提 カード "C036" を置く
    かつ 証明書 "課税(非課税)証明書" を選ぶ
    かつ 年度 2026 を選ぶ
    もし 1 通を請求する
    ならば 交付は断られ、窓口への案内だけが返る
