# language: ja
@phase-restrictions @requires-koseki-non-resident @requires-type-koseki-zenbu
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

  シナリオ: 利用登録が承認された人には交付される
    前提 カード "C039" を置く
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書の本文に氏名が同じ文字で印字されている
