# language: ja
@phase-restrictions @requires-koseki-non-resident @requires-type-koseki-zenbu @rule-koseki-registration-required
機能: 利用者制限試験 — 本籍地が住所地と異なる戸籍証明書
  本籍地が住所地と異なる人は、利用登録申請が承認されるまで本籍地の戸籍証明書を
  受け取れない。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である
    かつ 対象の市区町村は "990002" である
    かつ 証明書 "戸籍全部事項証明書" を選ぶ

  @catches-koseki-before-approval
  シナリオ: 利用登録のない人の請求は registration-required で断られる
    前提 カード "C040" を置く
    もし 1 通を請求する
    ならば HTTP 422 でエラーコード "registration-required" が返る

  @catches-wrong-page-count
  シナリオ: 利用登録が承認された人には交付される
    前提 カード "C039" を置く
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書の本文に氏名が同じ文字で印字されている

  @catches-koseki-before-approval
  シナリオ: 利用登録申請が審査中の人のメニューは空で審査中と示され、請求は registration-required で断られる
    前提 カード "C042" を置く
    もし メニューを要求する
    ならば メニューは空である
    かつ メニューの利用登録申請の状態は "pending" である
    もし 1 通を請求する
    ならば HTTP 422 でエラーコード "registration-required" が返る

  @catches-koseki-before-approval
  シナリオ: 利用登録申請が却下された人の請求も registration-required で断られる
    前提 カード "C043" を置く
    もし メニューを要求する
    ならば メニューの利用登録申請の状態は "rejected" である
    かつ メニューに本籍地の証明書はない
    もし 1 通を請求する
    ならば HTTP 422 でエラーコード "registration-required" が返る

  @catches-koseki-before-approval
  シナリオ: 利用登録申請をしていない人のメニューは空で、利用登録申請の状態は none と示される
    前提 カード "C041" を置く
    もし メニューを要求する
    ならば メニューは空である
    かつ メニューの利用登録申請の状態は "none" である

  @rule-registration-filing @catches-koseki-before-approval
  シナリオ: 端末から利用登録申請を提出すると審査中になり、承認までは交付されない
    前提 カード "C040" を置く
    もし 利用登録申請を提出する
    ならば 利用登録申請は受け付けられ、状態は "pending" である
    もし 提出した利用登録申請の状態を照会する
    ならば 照会した利用登録申請の状態は "pending" で、提出したものと同じである
    もし メニューを要求する
    ならば メニューの利用登録申請の状態は "pending" である
    かつ メニューに本籍地の証明書はない
    もし 1 通を請求する
    ならば HTTP 422 でエラーコード "registration-required" が返る

  @catches-koseki-kojin-lists-all
  シナリオ: 利用登録が承認された人のメニューには本籍地の証明書が示され、どれも交付される
    前提 カード "C039" を置く
    もし メニューを要求する
    ならば メニューに "戸籍全部事項証明書" がある
    かつ メニューに "戸籍個人事項証明書" がある
    かつ メニューの利用登録申請の状態は "approved" である
    かつ メニューに示された種類は、どの選択肢・年度でも交付され、手数料はメニューどおりである

  @catches-registration-on-file-forgotten @rule-registration-on-file @rule-registration-get
  シナリオ: 住民記録に記録された審査中の利用登録申請は、その ID と提出日時のまま照会できる
    前提 カード "C042" を置く
    もし 住民記録に記録された利用登録申請を照会する
    ならば 利用登録申請は HTTP 200 で、住民記録に記録された申請（ID・状態・提出日時）のとおりである

  @catches-registration-on-file-forgotten @rule-registration-on-file @rule-registration-filing
  シナリオ: 審査中の人がもう一度提出すると、記録された申請がその ID と提出日時のまま 200 で返る
    前提 カード "C042" を置く
    もし 利用登録申請を提出する
    ならば 利用登録申請は HTTP 200 で、住民記録に記録された申請（ID・状態・提出日時）のとおりである
    もし メニューを要求する
    ならば メニューの利用登録申請の状態は "pending" である

  @rule-registration-on-file @rule-registration-get @catches-registration-on-file-forgotten
  シナリオ: 却下された記録の利用登録申請も、その ID・状態・提出日時のまま照会できる
    前提 カード "C043" を置く
    もし 住民記録に記録された利用登録申請を照会する
    ならば 利用登録申請は HTTP 200 で、住民記録に記録された申請（ID・状態・提出日時）のとおりである
  @catches-registration-get-unknown-500 @rule-registration-get
  シナリオ: 知らない利用登録申請IDの照会は not-found で断られる
    もし 知らない利用登録申請IDの状態を照会する
    ならば HTTP 404 でエラーコード "not-found" が返る
