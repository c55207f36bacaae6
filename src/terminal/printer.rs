//! The terminal's printer (プリンタ): it prints a certificate copy by copy on A4 sheets
//! and can fail the way store printers do. Faults are scripted by the scenario, never
//! random at print time, so every run of a scenario prints the same way.

/// What happened to one copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyPrint {
    /// Printed and handed out.
    Printed,
    /// 紙詰まり: the paper jammed during this copy; it is not handed out.
    PaperJam,
    /// 用紙切れ: the paper ran out before this copy was complete.
    OutOfPaper,
}

/// A printer with scripted faults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printer {
    /// Sheets left; `None`: never runs out.
    pub sheets_left: Option<u32>,
    /// The copy (1-based) on which the paper jams, once.
    pub jam_on_copy: Option<u8>,
    /// Sheets printed so far.
    pub sheets_printed: u32,
}

impl Printer {
    /// A printer that never fails.
    pub fn reliable() -> Self {
        Self::default()
    }

    /// A printer that jams on copy `k`.
    pub fn jamming_on(k: u8) -> Self {
        Self {
            jam_on_copy: Some(k),
            ..Self::default()
        }
    }

    /// A printer with `sheets` sheets of paper left.
    pub fn with_sheets(sheets: u32) -> Self {
        Self {
            sheets_left: Some(sheets),
            ..Self::default()
        }
    }

    /// Print copy `copy` of a document of `pages` pages (one sheet per page). A copy is
    /// printed whole or not at all: a jam or a short supply spoils it.
    pub fn print(&mut self, copy: u8, pages: u32) -> CopyPrint {
        if self.jam_on_copy == Some(copy) {
            self.jam_on_copy = None;
            return CopyPrint::PaperJam;
        }
        if let Some(left) = self.sheets_left {
            if left < pages {
                self.sheets_left = Some(0);
                return CopyPrint::OutOfPaper;
            }
            self.sheets_left = Some(left - pages);
        }
        self.sheets_printed += pages;
        CopyPrint::Printed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jam_spoils_only_its_copy() {
        let mut p = Printer::jamming_on(2);
        assert_eq!(p.print(1, 1), CopyPrint::Printed);
        assert_eq!(p.print(2, 1), CopyPrint::PaperJam);
        assert_eq!(p.print(3, 1), CopyPrint::Printed);
        assert_eq!(p.sheets_printed, 2);
    }

    #[test]
    fn paper_runs_out_on_a_whole_copy() {
        let mut p = Printer::with_sheets(3);
        assert_eq!(p.print(1, 2), CopyPrint::Printed);
        assert_eq!(p.print(2, 2), CopyPrint::OutOfPaper);
        assert_eq!(p.print(3, 1), CopyPrint::OutOfPaper);
        assert_eq!(p.sheets_printed, 2);
    }
}
