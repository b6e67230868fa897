// exceljs's own modules that the streaming writer's patches reach (shared/report/workbook/streaming.ts).
declare module 'exceljs/lib/stream/xlsx/worksheet-writer.js' {
  const WorksheetWriter: unknown;
  export default WorksheetWriter;
}
declare module 'exceljs/lib/xlsx/xform/sheet/ext-lst-xform.js' {
  const ExtLstXform: unknown;
  export default ExtLstXform;
}
