//! Named defect switches: each one reproduces one realistic vendor mistake in exactly
//! one spot of the server, so the harness can prove that a scenario catches it.
//!
//! Without any switch the server conforms to the profile.
//!
//! Longer than 400 lines because the list of switches is one table, with each switch's
//! one-line description; the spots that use them live in the modules they break.

use std::collections::BTreeSet;

macro_rules! defects {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal : $description:literal, )+) => {
        /// One defect switch.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Defect {
            $( $(#[$doc])* $variant, )+
        }

        impl Defect {
            /// Every defect switch, in documentation order.
            pub const ALL: &'static [Defect] = &[ $( Self::$variant, )+ ];

            /// The kebab-case name used on the command line and in `@catches-` tags.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Self::$variant => $name, )+
                }
            }

            /// One line naming the realistic vendor mistake the switch reproduces.
            pub fn description(&self) -> &'static str {
                match self {
                    $( Self::$variant => $description, )+
                }
            }
        }
    };
}

defects! {
    /// `GET /v1/identity` reports profile version 0.9.
    IdentityWrongProfileVersion = "identity-wrong-profile-version":
        "identity reports profile version 0.9: the version constant was not bumped for the release",
    /// Identity lists only the first served municipality.
    IdentityOmitsMunicipality = "identity-omits-municipality":
        "identity lists only the first municipality: a multi-tenant server reports its default tenant",
    /// An unknown municipality code is served as the first municipality.
    ServesUnknownMunicipality = "serves-unknown-municipality":
        "an unknown municipality code falls back to the default tenant instead of 404",
    /// A malformed JSON body is answered 500.
    MalformedRequest500 = "malformed-request-500":
        "a JSON parse error escapes as an unhandled exception: 500 instead of 400 malformed-request",
    /// No request size limit.
    NoBodyLimit = "no-body-limit":
        "no request size limit: an oversized body is parsed and answered like any other",
    /// TLS without client-certificate requirement.
    MtlsNotEnforced = "mtls-not-enforced":
        "TLS is configured without requiring a client certificate: mutual TLS is not enforced",
    /// Client certificates optional; anonymous connections dropped after the handshake.
    MtlsOptionalDropped = "mtls-optional-dropped":
        "client certificates are optional in TLS and a connection without one is dropped after the handshake, without a TLS alert",
    /// Wrong or missing request version headers are served.
    ProfileVersionIgnored = "profile-version-ignored":
        "the request's profile version header is never checked",
    /// Responses lack the version header.
    MissingVersionHeader = "missing-version-header":
        "responses do not carry the Kofu-Profile-Version header",
    /// Error answers lack the version header.
    ErrorWithoutVersionHeader = "error-without-version-header":
        "error answers are built by the framework's rejection path, which skips the middleware that stamps Kofu-Profile-Version",
    /// The body limit answers 413 as plain text.
    PayloadTooLargeAsText = "payload-too-large-as-text":
        "the body-limit layer answers 413 with its default text/plain body instead of the profile's error JSON",
    /// Personal refusals are answered 403.
    NotIssuableAs403 = "not-issuable-as-403":
        "not-issuable is answered HTTP 403 Forbidden, the status the framework uses for refusals, instead of 422",
    /// An unknown card gets a code of the vendor's own.
    UnknownCardOwnCode = "unknown-card-own-code":
        "an unknown card serial is answered with an error code of the vendor's own (`unknown-card`), outside the profile's closed list",
    /// The age refusal says why.
    AgeRefusalExplained = "age-refusal-explained":
        "the not-issuable message of an age refusal says why (15歳未満), instead of the fixed message",
    /// Omitted optional fields are sent as null.
    NullForOmittedField = "null-for-omitted-field":
        "the JSON serializer writes null for absent optional fields (household_head, relationship, ...) instead of omitting them",
    /// Content persons carry the resident code.
    ContentCarriesResidentCode = "content-carries-resident-code":
        "the content's persons are the database entity: each carries its 住民票コード as an extra field",
    /// The card is looked up before the request is validated.
    PersonalCheckFirst = "personal-check-first":
        "the card holder is looked up first, so an unknown card is not-issuable before the request itself is checked: the answer tells who has a card",
    /// 世帯の一部 member ids change with the reception time.
    MemberIdUnstable = "member-id-unstable":
        "世帯の一部 member ids are session tokens stamped with the menu's reception time, so the request that follows the menu a minute later no longer matches them",
    /// Fields the schema does not define are ignored.
    UnknownRequestFieldIgnored = "unknown-request-field-ignored":
        "the JSON binding ignores fields it does not know (the framework's default), so a request with a field the schema does not define is served",
    /// An omitted `options` is refused.
    OmittedOptionsRejected = "omitted-options-rejected":
        "`options` is bound as a required field, so a request that omits it (meaning `{}`) is answered malformed-request",
    /// A display option sent as `false` is taken as asked for.
    OptionPresenceMeansTrue = "option-presence-means-true":
        "a display option is read by its presence, so `show_relationship: false` and `show_honseki: false` sent explicitly print them",
    /// The menu leaves out 戸籍個人事項証明書, which is still issued.
    DomicileMenuOmitsKojin = "domicile-menu-omits-kojin":
        "the menu is built from an older offer table than the issuance: 戸籍個人事項証明書 is issued when asked but never shown on the 本籍地's menu",
    /// A repeated request id creates a new issuance.
    NotIdempotent = "not-idempotent":
        "a resent request id creates a second issuance with a new id and number",
    /// 証明書番号 sequences per certificate type.
    CertificateNumberPerType = "certificate-number-per-type":
        "each certificate type has its own 証明書番号 sequence, so a 住民票 and an 印鑑登録証明書 of the same day share a number",
    /// The 証明書番号 embeds the holder's 住民票コード.
    CertificateNumberFromResidentCode = "certificate-number-from-resident-code":
        "the 証明書番号 is built from the holder's 住民票コード, so the printed number reveals it",
    /// Issuance ids with characters outside the profile's set.
    IssuanceIdUnsafeCharacters = "issuance-id-unsafe-characters":
        "issuance ids are namespaced with colons (`I:990001:…`), outside the characters the profile allows in paths",
    /// Names are normalised to JIS X 0208 look-alikes.
    KanjiSubstituted = "kanji-substituted":
        "names are normalised to JIS X 0208 look-alikes (𠮷→吉, 髙→高, 﨑→崎, 德→徳)",
    /// The issue date is the UTC date of the reception time.
    IssueDateUtc = "issue-date-utc":
        "the issue date is taken in UTC: early-morning receptions get yesterday's date",
    /// The issue date is printed in 西暦.
    SeirekiIssueDate = "seireki-issue-date":
        "the issue date is printed in 西暦 (2026年11月26日) instead of 和暦",
    /// 住民票 PDFs print 個人番号.
    IndividualNumberPrinted = "individual-number-printed":
        "the 住民票 prints 個人番号: the form template includes every register column",
    /// 住民票 PDFs print 住民票コード.
    ResidentCodePrinted = "resident-code-printed":
        "the 住民票 prints 住民票コード: the form template includes every register column",
    /// 世帯全員 includes 消除者.
    RemovedPersonListed = "removed-person-listed":
        "世帯全員 lists 消除者 (moved-out or deceased members): the household query lacks a status filter",
    /// 世帯全員 lists only the holder.
    HouseholdOnlyHolder = "household-only-holder":
        "世帯全員 lists only the card holder: the scope option is ignored",
    /// 世帯の一部 lists the whole household.
    MembersScopeWholeHousehold = "members-scope-whole-household":
        "世帯の一部 prints every current member of the household: the chosen members are never applied",
    /// The 世帯主 is printed although 世帯主・続柄 was not chosen.
    HouseholdHeadAlwaysPrinted = "household-head-always-printed":
        "the 世帯主 is printed on every 住民票, also on a 本人のみ copy without 世帯主・続柄: the header template always fills it",
    /// The 本籍・筆頭者 option is ignored.
    HonsekiOptionIgnored = "honseki-option-ignored":
        "本籍・筆頭者 is never printed although the resident chose it: the display option is not passed to the form",
    /// The 通称 of a 外国人住民 is omitted.
    ForeignAliasOmitted = "foreign-alias-omitted":
        "the 住民票 of a 外国人住民 omits the 通称: the alias column of the register is not mapped",
    /// Wrong 住民票 証明文.
    WrongCertificationStatement = "wrong-certification-statement":
        "the 住民票 carries a generic 証明文 instead of the prescribed one",
    /// PDFs on US Letter.
    LetterPaper = "letter-paper":
        "PDFs are laid out on US Letter: the PDF library's default page size",
    /// Fonts are not embedded.
    FontsNotEmbedded = "fonts-not-embedded":
        "PDF fonts are not embedded: the printer is expected to have them",
    /// The holder's 個人番号 in the PDF's document information.
    PdfMetadataPersonalNumber = "pdf-metadata-personal-number":
        "the PDF's document information carries the holder's 個人番号 in /Keywords: the PDF library's metadata is filled from the session's subject fields",
    /// An /OpenAction runs JavaScript.
    PdfJavascript = "pdf-javascript":
        "the PDF runs JavaScript on open (an /OpenAction calling print()): a silent-print script left from the vendor's desktop template",
    /// The register extract is attached to the PDF.
    PdfEmbeddedFile = "pdf-embedded-file":
        "the PDF embeds the register extract it was built from (a CSV with 個人番号 and 住民票コード) as an attached file, for troubleshooting",
    /// An AcroForm text field is left in the PDF.
    PdfFormField = "pdf-form-field":
        "the PDF is still a fillable form: the 氏名 text field of the form template the certificate was filled into is left in the file",
    /// A reviewer's note names another resident.
    PdfAnnotationOtherPerson = "pdf-annotation-other-person":
        "the PDF carries a reviewer's sticky note (a /Text annotation) from template testing that names another resident",
    /// The 住民票コード as invisible text.
    PdfInvisibleText = "pdf-invisible-text":
        "every page draws the holder's 住民票コード as invisible text (render mode 3), a search layer meant for the back office",
    /// A /URI link to the vendor's site.
    PdfExternalLink = "pdf-external-link":
        "the footer links to the vendor's support site with a /URI action: the kiosk's viewer may open the network",
    /// Encrypted with an empty user password.
    PdfEncrypted = "pdf-encrypted":
        "the PDF is encrypted with an empty user password to forbid editing: a kiosk printer that does not decrypt refuses it",
    /// The menu's 住民票 fee is 300 yen.
    MenuFeeDiffers = "menu-fee-differs":
        "the menu shows a stale 住民票 fee of 300 yen instead of the configured fee",
    /// Declared page count is one too many.
    WrongPageCount = "wrong-page-count":
        "the declared page count counts a blank trailing page the PDF does not have",
    /// Declared sha256 is of something else.
    WrongSha256 = "wrong-sha256":
        "the declared SHA-256 is computed over the base64 text instead of the PDF bytes",
    /// Age computed on the UTC date.
    AgeLimitUtc = "age-limit-utc":
        "the age limit is checked on the UTC date: a birthday morning before 9:00 is refused",
    /// Refuses at exactly the age limit.
    AgeLimitOffByOne = "age-limit-off-by-one":
        "the age limit refuses at exactly the limit (age <= limit instead of age < limit)",
    /// DV refusal names its reason.
    DvReasonLeaked = "dv-reason-leaked":
        "a DV等支援措置 refusal names its reason, telling a possible abuser the victim is protected",
    /// 世帯全員 offered and issued although it would list a protected member.
    DvHouseholdShown = "dv-household-shown":
        "世帯全員 is offered and printed although a member is under DV等支援措置: the protection is checked for the holder only",
    /// Page 2 of a multi-page document comes from the previous multi-page document.
    PageFromAnotherDocument = "page-from-another-document":
        "page 2 of a multi-page certificate is the page 2 left in a shared page buffer by the previous one: another resident's page inside this resident's certificate",
    /// The footer of every page after the first is drawn in white.
    FooterWhiteOnLaterPages = "footer-white-on-later-pages":
        "pages after the first draw their footer (certificate number, page number, subject) in white, from a template made for a dark band: the text is in the file, but on paper nothing ties a continuation page to its certificate",
    /// Pages name nobody: only the certificate number ties a page to its holder.
    PageSubjectMissing = "page-subject-missing":
        "the page footer prints the certificate number and page number but not whom the certificate is about",
    /// On a busy business date one issuance is built for the previous applicant.
    OtherResidentUnderLoad = "other-resident-under-load":
        "once a business date has 300 issuances, one certificate is built for the previous applicant: another resident's certificate is printed (the 2023 incidents)",
    /// 戸籍全部事項証明書 and 附票 issued to another member of a register with a protected member.
    DvRegisterShown = "dv-register-shown":
        "the 戸籍全部事項証明書 and the 戸籍の附票の写し of a register with a member under DV等支援措置 are issued to the other members: the 附票 prints the protected person's address",
    /// Tax certificates print the current address.
    TaxCurrentAddress = "tax-current-address":
        "the tax certificate prints the current address instead of the address on 1 January of the 年度",
    /// Tax certificates look the assessment up by 所得の年.
    TaxAssessmentByIncomeYear = "tax-assessment-by-income-year":
        "the tax certificate of 年度 N prints the assessment of 年度 N-1: the lookup uses 所得の年 (年度 - 1) as the 年度",
    /// DV protection not applied.
    DvIgnored = "dv-ignored":
        "DV等支援措置 is not checked: protected persons are issued certificates at kiosks",
    /// Moved-out persons are still served.
    MovedOutServed = "moved-out-served":
        "moved-out (転出) persons are still issued 住所地 certificates: the status filter is missing",
    /// Abolished seals treated as active.
    SealAbolishedIgnored = "seal-abolished-ignored":
        "an abolished (廃止) 印鑑登録 is treated as active",
    /// Every claimed tax year offered.
    UnassessedTaxYearOffered = "unassessed-tax-year-offered":
        "the tax menu lists every configured year, even years without an assessment (issued with zeros)",
    /// 戸籍 issued without approved registration.
    KosekiBeforeApproval = "koseki-before-approval":
        "戸籍 is issued to a non-resident before the 利用登録申請 is approved",
    /// A closed 戸籍 is served.
    ClosedKosekiServed = "closed-koseki-served":
        "a closed 戸籍 (除籍) is offered and issued as if it were open: the 戸籍 lookup lacks a state filter",
    /// A resident of the 本籍地 may file a 利用登録申請.
    RegistrationFromResidentAccepted = "registration-from-resident-accepted":
        "a 利用登録申請 from a resident of the 本籍地 is accepted although none is needed: the filing does not check the residence",
    /// 戸籍個人事項証明書 lists the whole 戸籍.
    KosekiKojinListsAll = "koseki-kojin-lists-all":
        "the 戸籍個人事項証明書 lists every member of the 戸籍 like the 全部事項証明書, not the requester only",
    /// 戸籍の附票 shows the current address only.
    FuhyoCurrentAddressOnly = "fuhyo-current-address-only":
        "the 戸籍の附票の写し prints only each person's current address instead of the address history",
    /// Fee counts cancelled copies.
    FeeForCancelledCopy = "fee-for-cancelled-copy":
        "the confirmed fee counts every reported copy, cancelled ones included",
    /// Several copies are charged as one.
    CopiesChargedAsOne = "copies-charged-as-one":
        "several copies are charged as one: the issuance's fee_total is the fee per copy, not multiplied by the copies",
    /// Cancelled outcomes are not stored.
    CancelIgnored = "cancel-ignored":
        "cancelled (取消) outcomes are dropped: those copies stay pending",
    /// Business date in UTC.
    RecordsDatedUtc = "records-dated-utc":
        "records are dated by the UTC date: early-morning issuances land on the previous business day",
    /// Records with a cancelled copy are omitted.
    CancelledMissingFromRecords = "cancelled-missing-from-records":
        "records with any cancelled copy are left out of the settlement records",
    /// A conflicting outcome report overwrites the recorded one.
    OutcomeOverwritten = "outcome-overwritten":
        "a second outcome report overwrites the first (last write wins): a copy confirmed and paid for can be turned into 取消",
    /// 戸籍の附票の写し is charged at the 戸籍 fee.
    WrongFeeTable = "wrong-fee-table":
        "the issuance and its record charge 戸籍の附票の写し at the 戸籍 fee: the fee table is keyed by the wrong type",
    /// The menu offers 印鑑登録証明書 without checking the 印鑑登録.
    MenuOffersUnregisteredSeal = "menu-offers-unregistered-seal":
        "the menu offers 印鑑登録証明書 to every served resident: the menu lists the municipality's types, only the issuance checks the 印鑑登録, so the kiosk takes a request it then refuses",
    /// `null` in a request body is read as an omitted field.
    NullAcceptedAsOmitted = "null-accepted-as-omitted":
        "`null` in a request body is taken for an omitted field (a lenient JSON layer drops null members): `\"members\": null` or `\"options\": null` is issued instead of 400 malformed-request",
    /// The copies limit is one too high.
    CopiesLimitOffByOne = "copies-limit-off-by-one":
        "the copies limit is checked one too late: max_copies + 1 copies are issued",
    /// A request for 0 copies is served as 1.
    CopiesZeroAccepted = "copies-zero-accepted":
        "copies 0 is read as \"at least one\" and issued as a single copy instead of 422 invalid-request",
    /// `copies` is parsed into an unsigned byte.
    CopiesNegativeMalformed = "copies-negative-malformed":
        "`copies` is parsed into an unsigned byte: -1 or a huge integer is 400 malformed-request instead of 422 invalid-request",
    /// The new 年度 is issued from 1 July.
    FiscalYearFromJuly = "fiscal-year-from-july":
        "the new 年度 is offered from the first of the month after the assessment is decided (1 July), a month late",
    /// The 年度 decision date is read on the UTC date.
    FiscalYearDecidedUtc = "fiscal-year-decided-utc":
        "whether the new 年度 is decided is read on the UTC date of the reception, so on 1 June before 09:00 JST it is not offered yet",
    /// The new 年度 is issued from 1 April.
    FiscalYearFromApril = "fiscal-year-from-april":
        "the new 年度's tax certificates are offered from 1 April, the start of the 年度, though its assessment is decided only on 1 June: in April and May the menu offers a year not yet assessed",
    /// Tax amounts printed without digit grouping.
    TaxAmountUngrouped = "tax-amount-ungrouped":
        "tax certificates print amounts without digit grouping (5350000円): the form's number format was left at the library default",
    /// 所得の年 printed as the 年度.
    IncomeYearPrintedAsFiscalYear = "income-year-printed-as-fiscal-year":
        "the tax certificate prints the 年度 (令和8年度) where the 所得の年 (令和7年分) belongs: the form's two year fields are bound to the same column",
    /// A deceased holder is treated as a non-resident on the 戸籍 side.
    DeceasedKosekiServed = "deceased-koseki-served":
        "a deceased holder's card is checked on the 戸籍 side like any non-resident: the menu offers the 利用登録申請 and a filing is accepted, because only the 住所地 path checks the death",
    /// A 利用登録申請 on file in the register is answered with a new id and filing time.
    RegistrationOnFileForgotten = "registration-on-file-forgotten":
        "a 利用登録申請 on file in the exported register is not imported with its id and filing time: filing again answers a new id stamped with this reception, and the recorded id is 404",
    /// Unknown operator codes are refused.
    UnknownOperatorRejected = "unknown-operator-rejected":
        "requests from a store operator code missing from the local table are refused",
    /// The era changes one day late in printed 和暦 dates.
    EraBoundaryOffByOneDay = "era-boundary-off-by-one-day":
        "the era table is compared with > instead of >=: the first day of an era is printed in the old one (平成31年5月1日 for 2019-05-01)",
    /// The first year of an era is printed 1年.
    GannenPrintedAs1 = "gannen-printed-as-1":
        "the first year of an era is printed as 1年 (令和1年5月1日), not 元年",
    /// Names and フリガナ are NFC-normalised.
    NamesNfcNormalised = "names-nfc-normalised":
        "names and フリガナ are NFC-normalised on their way into the database: 塚 U+FA10 becomes 塚 U+585A, a decomposed ド is composed",
    /// 世帯全員 and 世帯の一部 list the members by birth date.
    HouseholdSortedByBirth = "household-sorted-by-birth":
        "世帯全員 and 世帯の一部 list the members oldest first (ORDER BY birth_date), not in register order",
    /// A known request id gets the remembered answer whatever the body.
    RequestIdConflictIgnored = "request-id-conflict-ignored":
        "a known request id is answered with the remembered issuance without comparing the body: a different request under the same id is never 409 request-id-conflict",
    /// A refused request keeps its request id.
    RefusalRemembered = "refusal-remembered":
        "request ids are claimed before the request is evaluated and the claim outlives a refusal: the corrected retry of a refused request is 409 request-id-conflict",
    /// An outcome for an unknown issuance id is answered 500.
    OutcomeUnknownIssuance500 = "outcome-unknown-issuance-500":
        "the outcome handler unwraps the issuance row: an unknown issuance id is 500 instead of 404 not-found",
    /// The outcome report is checked before the issuance id.
    OutcomeReportCheckedBeforeId = "outcome-report-checked-before-id":
        "the outcome report is validated before the issuance is looked up: an invalid report for an unknown issuance id is 422 invalid-request instead of 404 not-found",
    /// Reported copies beyond the issuance's copies are ignored.
    OutcomeCopyOutOfRangeAccepted = "outcome-copy-out-of-range-accepted":
        "an outcome report naming a copy beyond the issuance's copies is accepted, that copy ignored, instead of 422 invalid-request",
    /// An outcome report is stored copy by copy.
    OutcomePartialApply = "outcome-partial-apply":
        "an outcome report is stored copy by copy, each in its own transaction: a report refused 409 outcome-conflict still changes the copies before the conflicting one",
    /// A records query with `to` before `from` is answered with no records.
    RecordsReversedRangeEmpty = "records-reversed-range-empty":
        "a records query with to before from is run as is and answered 200 with no records instead of 422 invalid-request",
    /// An unknown registration id is answered 500.
    RegistrationGetUnknown500 = "registration-get-unknown-500":
        "reading a 利用登録申請 unwraps the stored row: an unknown registration id is 500 instead of 404 not-found",
    /// The memory of request ids is kept per connection.
    RequestMemoryPerConnection = "request-memory-per-connection":
        "the memory of request ids lives in the connection's session: a resend that comes on a new connection, after a lost answer, is issued again",
    /// The memory of request ids is an in-process cache.
    RequestMemoryInProcess = "request-memory-in-process":
        "request ids are remembered in an in-process cache, not in the database: a resend after a restart is issued again",
    /// Unsettled issuances live in memory until their outcome.
    UnsettledInProcess = "unsettled-issuances-in-process":
        "issuances are kept in process memory until their outcome is reported (write-behind): a restart loses every issuance not yet settled",
    /// The store does not survive a restart.
    RecordsLostOnRestart = "records-lost-on-restart":
        "the database is opened in memory (a connection string left from the tests): a restart loses every record and registration",
    /// Copies are charged at issuance and refunded only on 取消.
    ChargedWithoutReport = "charged-without-report":
        "copies are charged when issued and refunded only on 取消: a copy whose outcome report never arrived is listed as confirmed and charged",
    /// A pending issuance of the terminal is taken for a resend.
    PendingReusedByTerminal = "pending-reused-by-terminal":
        "resends are recognised by terminal, not by request id: a new request from a terminal whose last issuance of that type was never reported gets that earlier issuance, another resident's certificate",
    /// The PDF goes through a temporary file named by type and second.
    DocumentFileBySecond = "document-file-by-second":
        "the PDF is written to a temporary file named by municipality, type and reception second: two residents asking in the same second share one file, and one of them gets the other's certificate",
    /// An equal repeated outcome report is refused.
    OutcomeRepeatRefused = "outcome-repeat-refused":
        "any second outcome report for a copy is refused 409 outcome-conflict, even one that repeats the recorded outcome: a report resent after a lost answer fails",
    /// The first view of a person's register is kept for the process's life.
    FeedCacheWholeRun = "feed-cache-whole-run":
        "the register read for a card holder is cached on first use and never invalidated: changes from the feed never show for a person already served since the start",
    /// Events apply from the next business day.
    FeedAppliedLate = "feed-applied-late":
        "events are applied by a nightly batch: a change is in force only from 00:00 JST of the day after its effective_at",
    /// An event applies to every later request, whatever its reception time.
    FeedEffectiveTimeIgnored = "feed-effective-time-ignored":
        "events are applied on arrival, effective_at unread: a change scheduled for later, or a request received before the change, sees it at once",
    /// effective_at's wall-clock time is read as JST.
    FeedEffectiveTimeUtc = "feed-effective-time-utc":
        "effective_at is parsed without its offset and taken as JST: 2026-11-26T01:00:00+00:00 applies from 01:00 JST instead of 10:00",
    /// A re-delivered event is applied again.
    FeedDuplicateAppliedTwice = "feed-duplicate-applied-twice":
        "the feed has no memory of event ids: a re-delivered event is stored and applied again, so a 転出's new address appears twice in the 附票",
    /// A reused event id with another body replaces the first event.
    FeedEventIdConflictAccepted = "feed-event-id-conflict-accepted":
        "an event id is an upsert key: the same id with another body is answered applied and the new change replaces the first instead of 409 request-id-conflict",
    /// Events for unknown persons are acknowledged and dropped.
    FeedUnknownPersonAccepted = "feed-unknown-person-accepted":
        "an event naming a person, household or registration the register does not know is acknowledged 200 applied and silently dropped instead of 422 invalid-request",
    /// The event's person is found by name and フリガナ.
    FeedPersonMatchedByName = "feed-person-matched-by-name":
        "the feed's person is looked up by 氏名 and フリガナ, not by id: a change for one of two 同姓同名 residents is applied to the first in register order",
    /// An event older than one already stored for the person is never applied.
    FeedOutOfOrderDropped = "feed-out-of-order-dropped":
        "an event whose effective_at is before the latest one already stored for the same person is taken for stale: acknowledged, never applied",
    /// A resent issuance is rendered again from the current register.
    FeedLateEventRewritesIssuance = "feed-late-event-rewrites-issuance":
        "a resent issuance request is rendered again from the register as it now stands, so an event that arrived after the first answer changes the certificate of the resend",
    /// Names from the feed are normalised to JIS X 0208.
    FeedNameNormalized = "feed-name-normalized":
        "names that arrive through the feed are \"normalised to JIS X 0208\" by the interface layer: 𠮷 becomes 吉, 髙 becomes 高, 﨑 becomes 崎",
    /// A DV start from the feed protects the holder's card only.
    FeedDvHolderOnly = "feed-dv-holder-only":
        "a DV等支援措置 from the feed sets a kiosk flag that only the holder check reads: the protected person's card is refused, but 世帯全員, the members list, the 附票 and the 戸籍全部事項 of the others still print them",
    /// A tax correction lands on the newest assessed 年度.
    FeedTaxCorrectionNewestYear = "feed-tax-correction-newest-year":
        "a 税額の更正 is applied to the holder's newest assessed 年度 instead of the event's fiscal_year: the import updates the current assessment row",
    /// registration-decided knows only registrations on file.
    FeedRegistrationOnFileOnly = "feed-registration-on-file-only":
        "a decision on a 利用登録申請 is looked up in the imported register only: one filed at a kiosk is unknown, 422 invalid-request",
    /// Events are kept in memory only.
    FeedEventsInMemory = "feed-events-in-memory":
        "delivered events are kept in an in-process queue, not in the database: a restart loses every change of the feed",
    /// A person joining a household keeps their place in register order.
    FeedJoinerKeepsRegisterPlace = "feed-joiner-keeps-register-place":
        "a person who joins a household (転入, 世帯の変更) keeps their original row position, so 世帯全員 lists them before the members already there",
    /// 世帯主の変更 leaves the members' 続柄 as they were.
    FeedHeadChangeKeepsRelationships = "feed-head-change-keeps-relationships":
        "a 世帯主の変更 updates the household's head only: the members' 続柄 stay relative to the former 世帯主",
    /// Events are taken for a municipality that does not claim the feed.
    FeedTakenWithoutClaim = "feed-taken-without-claim":
        "the register-events endpoint is mounted for every tenant: a municipality that does not claim register_feed takes events (200) instead of 422 not-offered",
    /// Unknown fields in an event are ignored.
    FeedUnknownFieldsIgnored = "feed-unknown-fields-ignored":
        "the event body is bound leniently: a field the schema does not define is ignored and the event applied instead of 400 malformed-request",
}

impl std::fmt::Display for Defect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a defect switch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown defect `{0}`")]
pub struct UnknownDefect(pub String);

impl std::str::FromStr for Defect {
    type Err = UnknownDefect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|d| d.name() == s)
            .ok_or_else(|| UnknownDefect(s.to_owned()))
    }
}

/// The switches a server runs with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Defects(BTreeSet<Defect>);

impl Defects {
    /// The given switches.
    pub fn new(set: BTreeSet<Defect>) -> Self {
        Self(set)
    }

    /// Whether a switch is on.
    pub fn on(&self, defect: Defect) -> bool {
        self.0.contains(&defect)
    }

    /// The switches that are on.
    pub fn iter(&self) -> impl Iterator<Item = Defect> + '_ {
        self.0.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let names: BTreeSet<&str> = Defect::ALL.iter().map(|d| d.name()).collect();
        assert_eq!(names.len(), Defect::ALL.len());
        for name in names {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name}"
            );
        }
    }
}
