// The workbooks are written with exceljs's streaming writer: rows go to the zip as they are
// committed instead of living in a document model until the end (a national report is
// ~300,000 cells). Two things the sheet modules rely on are taught to it here, once:
// - a sheet's opening (tab colour, fit to page, frozen panes, default row height) is
//   written when its first row or column goes out, not when the sheet is created, so the
//   views a table header sets afterwards are the ones written;
// - `views` can be assigned, as on a document worksheet;
// - conditional formats keep their x14 part (solid data bars), as the document writer's do.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import WorksheetWriterModule from 'exceljs/lib/stream/xlsx/worksheet-writer.js';
import ExtLstXformModule from 'exceljs/lib/xlsx/xform/sheet/ext-lst-xform.js';

interface SheetWriter {
  _views: unknown;
  conditionalFormatting: unknown[];
  _workbook: { styles: unknown };
  stream: { write(text: string): void };
  _writeConditionalFormatting(): void;
  _writeLegacyData(): void;
  extLst?: { prepare(model: unknown, options: unknown): void; toXml(model: unknown): string };
  committed?: boolean;
  commit(): void;
  _writeOpenWorksheet(): void;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
  openPending?: boolean;
}

// Static imports, so that a bundle patches the very classes it bundles (a require at run
// time would find another copy, or none in Lambda).
const WorksheetWriter = WorksheetWriterModule as { prototype: SheetWriter };
const ExtLstXform = ExtLstXformModule as new () => NonNullable<SheetWriter['extLst']>;

let patched = false;
function teachWriter() {
  if (patched) return;
  patched = true;
  const proto = WorksheetWriter.prototype;
  const open = proto._writeOpenWorksheet;
  const columns = proto._writeColumns;
  const sheetData = proto._writeOpenSheetData;
  const ensureOpen = (ws: SheetWriter) => {
    if (ws.openPending) {
      ws.openPending = false;
      open.call(ws);
    }
  };
  // Called by the constructor: only remembered.
  proto._writeOpenWorksheet = function (this: SheetWriter) { this.openPending = true; };
  proto._writeColumns = function (this: SheetWriter) { ensureOpen(this); columns.call(this); };
  proto._writeOpenSheetData = function (this: SheetWriter) { ensureOpen(this); sheetData.call(this); };
  // Solid data bars (no gradient, 0 to 100% of the cell) live in the sheet's x14 extension,
  // which the document writer writes and the streaming one does not: the rules get their
  // x14 ids before the main part names them, and the extension goes last in the sheet.
  const formatting = proto._writeConditionalFormatting;
  const legacy = proto._writeLegacyData;
  proto._writeConditionalFormatting = function (this: SheetWriter) {
    if (this.conditionalFormatting.length) {
      this.extLst = new ExtLstXform();
      this.extLst.prepare({ conditionalFormattings: this.conditionalFormatting }, { styles: this._workbook.styles });
    }
    formatting.call(this);
  };
  proto._writeLegacyData = function (this: SheetWriter) {
    legacy.call(this);
    if (this.extLst) this.stream.write(this.extLst.toXml({ conditionalFormattings: this.conditionalFormatting }));
  };
  Object.defineProperty(proto, 'views', {
    configurable: true,
    get(this: SheetWriter) { return this._views; },
    set(this: SheetWriter, value: unknown) { this._views = value; },
  });
}

export interface StreamingBook {
  wb: ExcelJS.Workbook;
  /** Commits the sheets written so far: their rows leave memory for the zip. */
  commitSheets(): void;
  /** Commits everything and returns the .xlsx bytes. */
  finish(): Promise<Buffer>;
}

export function streamingWorkbook(): StreamingBook {
  teachWriter();
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => { stream.on('end', resolve); stream.on('error', reject); });
  // Fastest deflate: a national workbook is ~300,000 cells; the file grows a little, the wait shrinks a lot.
  // Shared strings: as Excel writes text (t="s"), leading spaces kept (the summary indents its sub-rows).
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true, zip: { zlib: { level: 1 } } } as never);
  const sheets = () => (wb as unknown as { _worksheets: Array<SheetWriter | undefined> })._worksheets.filter((w): w is SheetWriter => Boolean(w));
  return {
    wb,
    commitSheets: () => { for (const ws of sheets()) if (!ws.committed) ws.commit(); },
    finish: async () => {
      await wb.commit();
      await done;
      return Buffer.concat(chunks);
    },
  };
}
