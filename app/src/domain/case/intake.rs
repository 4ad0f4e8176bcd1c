//! What intake accepts, whichever channel a case comes by: the texts, the place, the
//! reporter's contact, the attachments. Checked here once so the operator's form, the
//! field form, the residents' form and the API refuse the same things the same way.
use super::{CaseError, TextField, clean_optional, clean_text};
use serde::{Deserialize, Serialize};

pub const MAX_ATTACHMENTS: usize = 6;
pub const MAX_ATTACHMENT_MB: usize = 10;
pub const MAX_ATTACHMENT_BYTES: usize = MAX_ATTACHMENT_MB * 1024 * 1024;

/// A point on the map in millionths of a degree (about 11 cm), stored as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat_e6: i64,
    pub lng_e6: i64,
}

impl GeoPoint {
    /// Both blank is no point; one without the other, or out of range, is an error.
    pub fn parse(lat: &str, lng: &str) -> Result<Option<GeoPoint>, CaseError> {
        let (lat, lng) = (lat.trim(), lng.trim());
        if lat.is_empty() && lng.is_empty() {
            return Ok(None);
        }
        let lat: f64 = lat.parse().map_err(|_| CaseError::BadLocation)?;
        let lng: f64 = lng.parse().map_err(|_| CaseError::BadLocation)?;
        GeoPoint::from_degrees(lat, lng).map(Some)
    }

    pub fn from_degrees(lat: f64, lng: f64) -> Result<GeoPoint, CaseError> {
        if !(lat.is_finite() && lng.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)) {
            return Err(CaseError::BadLocation);
        }
        Ok(GeoPoint { lat_e6: (lat * 1e6).round() as i64, lng_e6: (lng * 1e6).round() as i64 })
    }

    pub fn lat(&self) -> f64 {
        self.lat_e6 as f64 / 1e6
    }

    pub fn lng(&self) -> f64 {
        self.lng_e6 as f64 / 1e6
    }

    /// Great-circle distance in metres (haversine); plenty accurate at the 200 m scale.
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_000.0;
        let (p1, p2) = (self.lat().to_radians(), other.lat().to_radians());
        let dp = p2 - p1;
        let dl = (other.lng() - self.lng()).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// A mainland mobile number or a landline with area code; spaces and dashes are ignored.
pub fn clean_reporter_phone(raw: &str) -> Result<Option<String>, CaseError> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && ((digits.len() == 11 && digits.starts_with('1')) || (digits.starts_with('0') && (10..=12).contains(&digits.len())));
    if ok { Ok(Some(digits)) } else { Err(CaseError::BadPhone) }
}

/// The free texts of a new case, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeText {
    pub title: String,
    pub description: String,
    pub address: String,
    pub reporter_name: String,
    pub reporter_phone: String,
}

/// The same texts, checked: trimmed, required ones present, lengths bounded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedText {
    pub title: String,
    pub description: String,
    pub address: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
}

impl IntakeText {
    /// A case needs a description; the title defaults to its first line, cut to length.
    pub fn check(&self) -> Result<CheckedText, CaseError> {
        let description = clean_text(TextField::Description, &self.description)?;
        let title = match self.title.trim() {
            "" => description.lines().next().unwrap_or("").chars().take(TextField::Title.max_chars()).collect(),
            t => clean_text(TextField::Title, t)?,
        };
        Ok(CheckedText {
            title,
            description,
            address: clean_optional(TextField::Address, Some(&self.address))?,
            reporter_name: clean_optional(TextField::ReporterName, Some(&self.reporter_name))?,
            reporter_phone: clean_reporter_phone(&self.reporter_phone)?,
        })
    }
}

/// An uploaded file's kind, recognised from its first bytes rather than trusted from
/// the name or the browser's claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(FileKind::Jpeg),
            [0x89, b'P', b'N', b'G', ..] => Some(FileKind::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(FileKind::Webp),
            [b'%', b'P', b'D', b'F', ..] => Some(FileKind::Pdf),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != FileKind::Pdf
    }
}

/// Checks a batch of uploads: how many, how big, what kind.
pub fn check_files<'a>(files: impl IntoIterator<Item = &'a [u8]>) -> Result<Vec<FileKind>, CaseError> {
    let mut kinds = Vec::new();
    for bytes in files {
        if kinds.len() == MAX_ATTACHMENTS {
            return Err(CaseError::TooManyFiles(MAX_ATTACHMENTS));
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(CaseError::FileTooLarge(MAX_ATTACHMENT_MB));
        }
        kinds.push(FileKind::sniff(bytes).ok_or(CaseError::FileType)?);
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_required_and_the_title_defaults_to_its_first_line() {
        let t = IntakeText { description: "  杭衢高铁施工致房屋开裂\n多户墙面开裂 ".into(), ..Default::default() };
        let c = t.check().unwrap();
        assert_eq!(c.title, "杭衢高铁施工致房屋开裂");
        assert_eq!((c.address, c.reporter_name, c.reporter_phone), (None, None, None));
        assert_eq!(IntakeText::default().check(), Err(CaseError::TextRequired(TextField::Description)));
        let long = IntakeText { title: "墙".repeat(81), description: "x".into(), ..Default::default() };
        assert_eq!(long.check(), Err(CaseError::TextTooLong { field: TextField::Title, max: 80 }));
    }

    #[test]
    fn reporter_phones_are_mobile_or_landline_numbers() {
        assert_eq!(clean_reporter_phone(" 138-1234-5678 "), Ok(Some("13812345678".into())));
        assert_eq!(clean_reporter_phone("0570-8881234"), Ok(Some("05708881234".into())));
        assert_eq!(clean_reporter_phone(""), Ok(None));
        assert_eq!(clean_reporter_phone("12345"), Err(CaseError::BadPhone));
        assert_eq!(clean_reporter_phone("1381234567x"), Err(CaseError::BadPhone));
    }

    #[test]
    fn map_points_must_be_real_coordinates_given_together() {
        assert_eq!(GeoPoint::parse("", " "), Ok(None));
        let p = GeoPoint::parse("28.9801", "118.9601").unwrap().unwrap();
        assert_eq!((p.lat_e6, p.lng_e6), (28_980_100, 118_960_100));
        assert_eq!(GeoPoint::parse("28.9", ""), Err(CaseError::BadLocation));
        assert_eq!(GeoPoint::parse("91", "118"), Err(CaseError::BadLocation));
        assert_eq!(GeoPoint::parse("NaN", "118"), Err(CaseError::BadLocation));
    }

    #[test]
    fn distances_are_right_at_the_two_hundred_metre_scale() {
        let a = GeoPoint::from_degrees(28.98, 118.96).unwrap();
        // 0.0018° of latitude is about 200 m everywhere.
        let b = GeoPoint::from_degrees(28.9818, 118.96).unwrap();
        let d = a.distance_m(&b);
        assert!((195.0..205.0).contains(&d), "{d}");
        assert_eq!(a.distance_m(&a), 0.0);
    }

    #[test]
    fn files_are_recognised_by_content_not_by_name() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
        let png = *b"\x89PNG\r\n\x1a\n";
        assert_eq!(check_files([&jpeg[..], &png[..]]), Ok(vec![FileKind::Jpeg, FileKind::Png]));
        assert_eq!(check_files([&b"MZ\x90\x00"[..]]), Err(CaseError::FileType));
        let big = vec![0xFF; MAX_ATTACHMENT_BYTES + 1];
        assert_eq!(check_files([&big[..]]), Err(CaseError::FileTooLarge(MAX_ATTACHMENT_MB)));
        let many = vec![&jpeg[..]; MAX_ATTACHMENTS + 1];
        assert_eq!(check_files(many), Err(CaseError::TooManyFiles(MAX_ATTACHMENTS)));
    }
}
