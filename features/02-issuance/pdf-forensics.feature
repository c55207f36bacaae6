# language: ja
@phase-issuance @rule-pdf-no-numbers-in-file @rule-pdf-no-other-person @rule-pdf-no-invisible-text @rule-pdf-no-active-content @rule-pdf-no-embedded-files-forms-layers @rule-pdf-not-encrypted
機能: 交付試験 — PDF には証明書のほかに何も含まれない
  証明書の PDF は、ページの本文だけでなくファイル全体に、個人番号も住民票コードも、
  証明書に記載されない人の氏名も含まない。文書情報、XMP メタデータ、注釈、フォーム、
  添付ファイル、レイヤー、見えない文字（描画モード 3、白い文字、極小の文字、ページの外や
  クリップの外の文字）もすべて調べる。JavaScript、開いたときの動作、追加の動作、外部への
  動作、添付ファイル、フォームはなく、キオスク端末のプリンタが開けるよう暗号化しない。
  （PDF を読むほかの手順もすべて同じ検査をする。）

  背景:
    前提 受付日時は "2026-11-26T10:00:00+09:00" である

  @requires-type-juminhyo
  @catches-pdf-metadata-personal-number @catches-pdf-javascript @catches-pdf-embedded-file
  @catches-pdf-form-field @catches-pdf-annotation-other-person @catches-pdf-invisible-text
  @catches-pdf-external-link @catches-pdf-encrypted
  シナリオ: 本人のみの住民票の写しの PDF には証明書のほかに何も含まれていない
    前提 カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "本人のみ" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書にはこの証明書のほかに何も含まれていない

  @requires-type-juminhyo
  @catches-pdf-metadata-personal-number @catches-pdf-embedded-file
  @catches-pdf-annotation-other-person @catches-pdf-invisible-text
  シナリオ: 世帯全員の住民票の写しの PDF には世帯員のほかの人も番号も含まれていない
    前提 カード "C001" を置く
    かつ 証明書 "住民票の写し" を選ぶ
    かつ 交付範囲 "世帯全員" を選ぶ
    かつ 世帯主・続柄を表示する
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書にはこの証明書のほかに何も含まれていない

  @requires-type-koseki-zenbu
  @catches-pdf-metadata-personal-number @catches-pdf-javascript @catches-pdf-embedded-file
  @catches-pdf-form-field @catches-pdf-annotation-other-person @catches-pdf-invisible-text
  @catches-pdf-external-link @catches-pdf-encrypted
  シナリオ: 戸籍全部事項証明書の PDF には戸籍に記録された人のほかに何も含まれていない
    前提 カード "C001" を置く
    かつ 証明書 "戸籍全部事項証明書" を選ぶ
    もし 1 通を請求する
    ならば 証明書が交付される
    かつ 文書にはこの証明書のほかに何も含まれていない
