//! The closed vocabularies of the output tables: what kind of value a cell
//! holds, the period it refers to, and what the cell says about its value.
//! Each serialises to the string the contract names (`target`, `Q4`, `pending`).

use serde::{Deserialize, Serialize};

/// Defines a field-less enum with its table string, `as_str`, `parse` and `ALL`.
macro_rules! table_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The string written to the tables.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            /// The value whose table string is `s`.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Compares with the table string, so that readers of the tables and
        /// tests can write `o.kind == "target"`.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

table_enum! {
    /// What an observation's value is: `baseline` (基準年 / 現状値), `target` (目標), `actual` (実績).
    Kind {
        Baseline => "baseline",
        Target => "target",
        Actual => "actual",
    }
}

table_enum! {
    /// What a cell says about its value.
    Status {
        /// A number (or a number with a unit).
        Ok => "ok",
        /// — ― - － or empty.
        Blank => "blank",
        /// 集計中.
        Pending => "pending",
        /// 実施なし.
        NotDone => "not_done",
        /// …削除.
        Deleted => "deleted",
        /// 程度, 約, 概ね: a number that is approximate.
        Approx => "approx",
        /// A qualitative value.
        Text => "text",
    }
}

table_enum! {
    /// Whether an indicator is still tracked.
    IndicatorStatus {
        Active => "active",
        /// Printed in parentheses or marked 削除.
        Deleted => "deleted",
    }
}

table_enum! {
    /// The kind of a 工程 (schedule) cell.
    ScheduleKind {
        Target => "target",
        Actual => "actual",
        /// The source merged the 目標 and 実績 rows into one cell.
        TargetActual => "target_actual",
    }
}

/// The period a value refers to: a fiscal year, a quarter or half of it, a
/// point in time, or an average over years.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Period {
    FY,
    /// Quarter 1–4 of the fiscal year (四半期).
    Q(u8),
    /// Half 1–2 of the fiscal year (上期 / 下期).
    H(u8),
    /// A point in time; the date is in `as_of`.
    AsOf,
    /// An average over years (R1～R3平均).
    Avg,
}

impl Period {
    /// Every period a table may hold, in order within a year.
    pub const ALL: &'static [Period] = &[
        Period::FY,
        Period::Q(1),
        Period::Q(2),
        Period::Q(3),
        Period::Q(4),
        Period::H(1),
        Period::H(2),
        Period::AsOf,
        Period::Avg,
    ];

    /// The string written to the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::FY => "FY",
            Period::Q(1) => "Q1",
            Period::Q(2) => "Q2",
            Period::Q(3) => "Q3",
            Period::Q(4) => "Q4",
            Period::Q(_) => "Q",
            Period::H(1) => "H1",
            Period::H(2) => "H2",
            Period::H(_) => "H",
            Period::AsOf => "AS_OF",
            Period::Avg => "AVG",
        }
    }

    /// The period whose table string is `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Period::ALL.iter().copied().find(|p| p.as_str() == s)
    }

    /// The quarter number, for quarters.
    pub fn quarter(self) -> Option<u8> {
        match self {
            Period::Q(q) => Some(q),
            _ => None,
        }
    }

    /// True for a part of a year (a quarter or a half).
    pub fn is_part_of_year(self) -> bool {
        matches!(self, Period::Q(_) | Period::H(_))
    }
}

/// Compares with the table string (`o.period == "Q4"`).
impl PartialEq<&str> for Period {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_parses_back_from_its_string() {
        for p in Period::ALL {
            assert_eq!(Period::parse(p.as_str()), Some(*p));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Kind::parse("target"), Some(Kind::Target));
        assert_eq!(ScheduleKind::TargetActual.as_str(), "target_actual");
        assert_eq!(Period::parse("Q5"), None);
    }
}
