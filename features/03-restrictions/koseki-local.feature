# language: ja
@phase-restrictions @requires-type-koseki-zenbu
機能: 利用者制限試験 — 青葉台市が本籍地の戸籍証明書
  青葉台市に住み、戸籍も青葉台市にある人には利用登録なしで交付する。除籍（閉じた戸籍）
  は交付しない。青葉台市に住んでいない人は、利用登録申請の承認が要る。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ 対象の市区町村は "990001" である
    かつ 証明書 "戸籍全部事項証明書" を選ぶ

  @rule-koseki-registration-required @catches-wrong-page-count
  シナリオ: 住所地と本籍地が同じ人には利用登録なしで戸籍全部事項証明書が交付される
    前提 カード "C001" を置く
    もし メニューを要求する
    ならば メニューに "戸籍全部事項証明書" がある
    かつ メニューに利用登録申請の状態はない
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-closed-koseki-served @rule-closed-register
  シナリオ: 閉じた戸籍（除籍）の戸籍証明書は示されず、直接請求しても断られる
    前提 カード "C032" を置く
    もし メニューを要求する
    ならば メニューに本籍地の証明書はない
    かつ メニューに "住民票の写し" がある
    もし 1 通を請求する
    ならば 交付は断られ、窓口への案内だけが返る

  @requires-koseki-non-resident @rule-koseki-registration-required @catches-wrong-page-count
  シナリオ: 他の市区町村に住む人は、利用登録が承認されていれば交付される
    前提 カード "C047" を置く
    もし メニューを要求する
    ならば メニューに "戸籍全部事項証明書" がある
    かつ メニューに住所地の証明書はない
    もし 1 通を請求する
    ならば 証明書が交付される

  @requires-koseki-non-resident @catches-koseki-before-approval @rule-koseki-registration-required
  シナリオ: 他の市区町村に住む人は、利用登録申請がなければ registration-required で断られる
    前提 カード "C048" を置く
    もし メニューを要求する
    ならば メニューは空である
    かつ メニューの利用登録申請の状態は "none" である
    もし 1 通を請求する
    ならば HTTP 422 でエラーコード "registration-required" が返る

  @requires-koseki-non-resident @catches-registration-from-resident-accepted @rule-registration-refusals
  シナリオ: 住所地と本籍地が同じ人の利用登録申請は断られる
    前提 カード "C001" を置く
    もし 利用登録申請を提出する
    ならば HTTP 422 でエラーコード "not-issuable" が返る
