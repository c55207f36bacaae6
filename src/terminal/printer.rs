//! The terminal's printer (プリンタ): it prints a certificate copy by copy on A4 sheets
//! and can fail the way store printers do. Faults are scripted by the scenario, never
//! random at print time, so every run of a scenario prints the same way. A printer with
//! an output folder also writes each printed copy there as a PDF (the CLI terminal).

use std::path::PathBuf;

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
    /// The document failed the terminal's integrity check (SHA-256, PDF): not printed.
    DocumentRejected,
    /// The printed copy could not be written to the output folder.
    DeviceError,
}

/// One copy to print.
#[derive(Debug, Clone, Copy)]
pub struct PrintJob<'a> {
    /// File stem of the copy, e.g. the certificate number.
    pub name: &'a str,
    /// Pages, one sheet each.
    pub pages: u32,
    /// The document.
    pub pdf: &'a [u8],
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
    /// Folder receiving each printed copy as `<name>-<copy>.pdf`.
    pub output: Option<PathBuf>,
    /// Files written to the output folder.
    pub printed_files: Vec<PathBuf>,
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

    /// Print copy `copy` of `job` (one sheet per page). A copy is printed whole or not
    /// at all: a jam or a short supply spoils it.
    pub fn print(&mut self, copy: u8, job: &PrintJob<'_>) -> CopyPrint {
        let pages = job.pages.max(1);
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
        if let Some(dir) = &self.output {
            let path = dir.join(format!("{}-{copy}.pdf", job.name));
            if let Err(e) =
                std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, job.pdf))
            {
                tracing::warn!(error = %e, path = %path.display(), "cannot write the printed copy");
                return CopyPrint::DeviceError;
            }
            self.printed_files.push(path);
        }
        self.sheets_printed += pages;
        CopyPrint::Printed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(pages: u32) -> PrintJob<'static> {
        PrintJob {
            name: "N1",
            pages,
            pdf: b"%PDF-1.7",
        }
    }

    #[test]
    fn a_jam_spoils_only_its_copy() {
        let mut p = Printer::jamming_on(2);
        assert_eq!(p.print(1, &job(1)), CopyPrint::Printed);
        assert_eq!(p.print(2, &job(1)), CopyPrint::PaperJam);
        assert_eq!(p.print(3, &job(1)), CopyPrint::Printed);
        assert_eq!(p.sheets_printed, 2);
    }

    #[test]
    fn paper_runs_out_on_a_whole_copy() {
        let mut p = Printer::with_sheets(3);
        assert_eq!(p.print(1, &job(2)), CopyPrint::Printed);
        assert_eq!(p.print(2, &job(2)), CopyPrint::OutOfPaper);
        assert_eq!(p.print(3, &job(1)), CopyPrint::OutOfPaper);
        assert_eq!(p.sheets_printed, 2);
    }

    #[test]
    fn an_output_folder_receives_each_printed_copy() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = Printer {
            output: Some(dir.path().to_owned()),
            jam_on_copy: Some(2),
            ..Printer::default()
        };
        assert_eq!(p.print(1, &job(1)), CopyPrint::Printed);
        assert_eq!(p.print(2, &job(1)), CopyPrint::PaperJam);
        assert_eq!(p.printed_files, vec![dir.path().join("N1-1.pdf")]);
        assert_eq!(
            std::fs::read(dir.path().join("N1-1.pdf")).expect("copy"),
            b"%PDF-1.7"
        );
    }
}
