//! How a manager splits a survey's results: by one of the panel's background variables,
//! by the way people answered (web, phone, paper) or by whether someone helped them.
//! The key is what the crosstab page's address carries (`?per=woonsituatie`).

use super::ids::VariableId;
use super::panel::PanelDefinition;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Background(VariableId),
    Mode,
    Proxy,
}

/// Keys of the two groupings that are not background variables. A variable id cannot
/// hold a colon, so these never collide with one.
const MODE: &str = ":manier";
const PROXY: &str = ":hulp";

impl GroupBy {
    /// Every grouping of the panel's surveys: its background variables, then mode and
    /// help.
    pub fn all(panel: &PanelDefinition) -> Vec<GroupBy> {
        panel
            .background_variables
            .iter()
            .map(|v| GroupBy::Background(v.id.clone()))
            .chain([GroupBy::Mode, GroupBy::Proxy])
            .collect()
    }

    pub fn key(&self) -> String {
        match self {
            GroupBy::Background(id) => id.to_string(),
            GroupBy::Mode => MODE.to_owned(),
            GroupBy::Proxy => PROXY.to_owned(),
        }
    }

    /// The grouping with this key, when the panel has it.
    pub fn parse(key: &str, panel: &PanelDefinition) -> Option<GroupBy> {
        Self::all(panel).into_iter().find(|g| g.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_keys_are_refused() {
        let example = include_str!("../../panel-schemas/examples/panel.json");
        let panel = PanelDefinition::from_json(example).unwrap();
        let all = GroupBy::all(&panel);
        assert!(all.len() >= 3);
        for g in &all {
            assert_eq!(GroupBy::parse(&g.key(), &panel).as_ref(), Some(g));
        }
        assert_eq!(GroupBy::parse("bestaat_niet", &panel), None);
        assert_eq!(GroupBy::parse(":manier", &panel), Some(GroupBy::Mode));
    }
}
