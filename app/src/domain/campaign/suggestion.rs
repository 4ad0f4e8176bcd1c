//! One suggestion as a resident writes it: a concise project name, quantifiable content,
//! an overview, a category and an area; name and phone optional.
use super::{CampaignError, Field, states_a_quantity};
use crate::domain::case::clean_reporter_phone;
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 40;
const MAX_CONTENT_CHARS: usize = 500;
const MAX_OVERVIEW_CHARS: usize = 2000;
const MAX_PERSON_CHARS: usize = 30;

/// What the resident typed, as the form posts it (with or without JavaScript).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestInput {
    pub campaign: String,
    pub name: String,
    pub content: String,
    pub overview: String,
    pub category: String,
    pub area_id: String,
    pub person: String,
    pub phone: String,
    pub consent: String,
    /// The honeypot: hidden from people, filled in by form-stuffing programs.
    pub website: String,
}

impl SuggestInput {
    pub fn from_fields(get: impl Fn(&str) -> String) -> SuggestInput {
        SuggestInput {
            campaign: get("campaign"),
            name: get("name"),
            content: get("content"),
            overview: get("overview"),
            category: get("category"),
            area_id: get("area_id"),
            person: get("person"),
            phone: get("phone"),
            consent: get("consent"),
            website: get("website"),
        }
    }

    /// The draft the form carries, once it is plain a person filled it in (the honeypot is
    /// empty). `area_id` is the place already read from the form.
    pub fn draft(&self, area_id: Option<i64>) -> Result<SuggestionDraft, CampaignError> {
        if !self.website.trim().is_empty() {
            return Err(CampaignError::LooksAutomated);
        }
        Ok(SuggestionDraft {
            name: self.name.clone(),
            content: self.content.clone(),
            overview: self.overview.clone(),
            category: self.category.clone(),
            area_id,
            person: self.person.clone(),
            phone: self.phone.clone(),
            consent: !self.consent.trim().is_empty(),
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionDraft {
    pub name: String,
    pub content: String,
    pub overview: String,
    pub category: String,
    pub area_id: Option<i64>,
    pub person: String,
    pub phone: String,
    pub consent: bool,
}

/// A draft that passed every check, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionText {
    pub name: String,
    pub content: String,
    pub overview: String,
    pub category: String,
    pub area_id: Option<i64>,
    pub person: Option<String>,
    pub phone: Option<String>,
}

fn required(field: Field, raw: &str, max: usize) -> Result<String, CampaignError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(CampaignError::Required(field));
    }
    if t.chars().count() > max {
        return Err(CampaignError::TooLong { field, max });
    }
    Ok(t.to_string())
}

/// A name that strings several projects together breaks 一事一提.
fn names_several(name: &str) -> bool {
    let separators = ['；', ';', '、', '/', '／'];
    name.contains(separators) || name.contains("以及") || name.contains("1.") || name.contains("（1）") || name.contains("(1)")
}

impl SuggestionDraft {
    pub fn check(&self) -> Result<SuggestionText, CampaignError> {
        let name = required(Field::Name, &self.name, MAX_NAME_CHARS)?;
        if names_several(&name) {
            return Err(CampaignError::SeveralItems);
        }
        let content = required(Field::Content, &self.content, MAX_CONTENT_CHARS)?;
        if !states_a_quantity(&content) {
            return Err(CampaignError::NoQuantity);
        }
        let overview = required(Field::Overview, &self.overview, MAX_OVERVIEW_CHARS)?;
        let category = required(Field::Category, &self.category, 40)?;
        let person = match self.person.trim() {
            "" => None,
            p if p.chars().count() > MAX_PERSON_CHARS => return Err(CampaignError::TooLong { field: Field::Person, max: MAX_PERSON_CHARS }),
            p => Some(p.to_string()),
        };
        let phone = clean_reporter_phone(&self.phone).map_err(|_| CampaignError::Required(Field::Phone))?;
        if (person.is_some() || phone.is_some()) && !self.consent {
            return Err(CampaignError::ConsentRequired);
        }
        Ok(SuggestionText { name, content, overview, category, area_id: self.area_id, person, phone })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SuggestionDraft {
        SuggestionDraft {
            name: "城区新增公共停车位".into(),
            content: "在樟潭、浮石新增500个公共停车位".into(),
            overview: "老城区停车难，群众反映强烈。".into(),
            category: "交通出行".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_suggestion_passes_trimmed_and_contact_is_optional() {
        let t = draft().check().unwrap();
        assert_eq!((t.person, t.phone), (None, None));
        let mut d = draft();
        d.person = " 王女士 ".into();
        d.phone = "138 0000 1111".into();
        d.consent = true;
        let t = d.check().unwrap();
        assert_eq!((t.person.as_deref(), t.phone.as_deref()), (Some("王女士"), Some("13800001111")));
    }

    #[test]
    fn content_without_a_quantity_is_refused_with_its_reason() {
        let mut d = draft();
        d.content = "希望多建一些停车位".into();
        assert_eq!(d.check(), Err(CampaignError::NoQuantity));
    }

    #[test]
    fn one_item_per_suggestion() {
        let mut d = draft();
        d.name = "新增停车位；改造菜市场".into();
        assert_eq!(d.check(), Err(CampaignError::SeveralItems));
        d.name = "停车位以及公厕".into();
        assert_eq!(d.check(), Err(CampaignError::SeveralItems));
    }

    #[test]
    fn required_fields_limits_and_consent() {
        let mut d = draft();
        d.overview = "  ".into();
        assert_eq!(d.check(), Err(CampaignError::Required(Field::Overview)));
        let mut d = draft();
        d.name = "停".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(d.check(), Err(CampaignError::TooLong { field: Field::Name, max: MAX_NAME_CHARS }));
        let mut d = draft();
        d.phone = "13800001111".into();
        assert_eq!(d.check(), Err(CampaignError::ConsentRequired), "contact details need consent");
        d.phone = "123".into();
        assert_eq!(d.check(), Err(CampaignError::Required(Field::Phone)));
    }
}
