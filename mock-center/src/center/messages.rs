//! The texts a terminal shows (Japanese), one per reason the center cannot go on.

/// The text a terminal shows when the center cannot serve now.
pub const UNAVAILABLE_MESSAGE: &str = "ただいま証明書を発行できません。時間をおいてお試しいただくか、市区町村の窓口でお尋ねください。";

/// Terminal text: the card cannot be used (unknown CA, bad signature).
pub const CARD_UNUSABLE: &str =
    "このカードはご利用いただけません。市区町村の窓口でお尋ねください。";
/// Terminal text: the certificate is expired.
pub const CARD_EXPIRED: &str =
    "カードの利用者証明用電子証明書の有効期限が切れています。市区町村の窓口で更新してください。";
/// Terminal text: the certificate is revoked.
pub const CARD_REVOKED: &str =
    "カードの利用者証明用電子証明書は失効しています。市区町村の窓口でお尋ねください。";
/// Terminal text: the card is PIN-locked.
pub const CARD_LOCKED: &str = "暗証番号が3回続けて誤って入力されたため、カードがロックされています。市区町村の窓口でロックの解除をしてください。";
/// Terminal text: outside service hours.
pub const OUT_OF_HOURS: &str =
    "ただいまサービス時間外です。サービス時間は6時30分から23時までです。";
/// Terminal text: year-end closure.
pub const YEAR_END: &str = "12月29日から1月3日まではサービスを休止しています。";
