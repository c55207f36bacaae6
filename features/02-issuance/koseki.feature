# language: ja
@phase-issuance @rule-content-exact
機能: 交付試験 — 戸籍全部事項証明書・戸籍個人事項証明書
  戸籍証明書は本籍地が交付する。全部事項は戸籍に記録されているすべての人を記録順に、
  個人事項は請求者だけを、本籍・筆頭者・続柄・父母とともに印字する。

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である

  @regression
  @requires-type-koseki-zenbu @catches-wrong-page-count
  シナリオ: 住所地が本籍地の人の戸籍全部事項証明書には戸籍の全員が記録順に載る
    前提 カード "C001" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 証明文と市区町村長の職名・氏名と証明書番号が印字されている

  @requires-type-koseki-kojin @catches-koseki-kojin-lists-all
  シナリオ: 住所地が本籍地の人の戸籍個人事項証明書には請求者だけが載る
    前提 カード "C001" を置く
    かつ 証明書 "戸籍個人事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 証明文と市区町村長の職名・氏名と証明書番号が印字されている

  @requires-type-koseki-zenbu @requires-koseki-non-resident @requires-honseki-municipality @rule-koseki-registration-required @catches-wrong-page-count
  シナリオ: 利用登録が承認された人は本籍地の白砂町から戸籍全部事項証明書を受け取る
    前提 対象の市区町村は "990002" である
    かつ カード "C039" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 証明文と市区町村長の職名・氏名と証明書番号が印字されている
    かつ 部数と交付手数料は請求と市区町村プロファイルの主張どおりである

  @requires-type-koseki-kojin @requires-koseki-non-resident @requires-honseki-municipality @catches-koseki-kojin-lists-all @catches-copies-charged-as-one
  シナリオ: 利用登録が承認された人は本籍地の白砂町から戸籍個人事項証明書を受け取る
    前提 対象の市区町村は "990002" である
    かつ カード "C039" を置く
    かつ 証明書 "戸籍個人事項証明書" を選ぶ
    もし 2 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている
    かつ 部数と交付手数料は請求と市区町村プロファイルの主張どおりである

  @requires-type-koseki-zenbu @catches-page-subject-missing
  シナリオ: 筆頭者が他市に住む戸籍の全部事項証明書にも筆頭者が載る
    前提 カード "C046" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-koseki-zenbu @catches-wrong-page-count
  シナリオ: 筆頭者が死亡した戸籍の全部事項証明書
    前提 カード "C030" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に記載事項がすべて印字されている

  @requires-type-koseki-zenbu @catches-kanji-substituted @rule-code-points
  シナリオ: 戸籍全部事項証明書でも𠮷は吉に置き換えられない
    前提 カード "C007" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 記載事項は住民記録と一致する
    かつ 文書の本文に氏名が同じ文字で印字されている

  @requires-type-koseki-zenbu @catches-wrong-page-count @catches-footer-white-on-later-pages @rule-pdf-every-page
  シナリオ: 8人の戸籍の全部事項証明書は複数ページにわたり、どのページにも証明書番号と筆頭者がある
    前提 カード "C050" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書は 2 ページ以上である
    かつ 記載事項は住民記録と一致する
    かつ 文書の本文に氏名が同じ文字で印字されている
