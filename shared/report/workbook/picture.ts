// A PNG on a sheet, anchored at a cell with a size in pixels. exceljs's document model has
// addImage; its streaming writer (the one the workbooks are built with, for a national
// report's memory and time) writes no drawings. For it the drawing part is written here:
// the picture's anchor (xl/drawings/drawingN.xml), its relationship to the image, the
// sheet's <drawing> element and relationship, and the part's content type.
import type ExcelJS from 'exceljs';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const EMU_PER_PX = 9525;
const DRAWING_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';

interface Medium { name: string }
interface StreamingWorkbook {
  zip: { append(data: string | Buffer, options: { name: string }): void };
  addImage(image: { buffer: Buffer; extension: 'png' }): number;
  getImage(id: number): Medium;
  addContentTypes(): Promise<void>;
}
interface StreamingSheet {
  _sheetRelsWriter: { addRelationship(rel: { Type: string; Target: string }): string };
  _writeRowBreaks(): void;
  stream: { write(text: string): void };
}

export function isStreaming(wb: ExcelJS.Workbook): boolean {
  return typeof (wb as unknown as { commit?: unknown }).commit === 'function';
}

function drawingXml(at: { col: number; row: number }, size: { width: number; height: number }, rId: string): string {
  const cx = Math.round(size.width * EMU_PER_PX);
  const cy = Math.round(size.height * EMU_PER_PX);
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    + '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    + `<xdr:oneCellAnchor><xdr:from><xdr:col>${at.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${at.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>`
    + `<xdr:ext cx="${cx}" cy="${cy}"/>`
    + '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Biểu đồ xu hướng"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>'
    + `<xdr:blipFill><a:blip xmlns:r="${REL}" r:embed="${rId}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>`
    + `<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>`
    + '<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>';
}

/** Anchors a PNG at a cell (0-based column and row), width × height in pixels. One per sheet. */
export function addPicture(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, png: Buffer, at: { col: number; row: number }, size: { width: number; height: number }) {
  if (!isStreaming(wb)) {
    const image = wb.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: 'png' });
    ws.addImage(image, { tl: { col: at.col, row: at.row }, ext: size, editAs: 'oneCell' });
    return;
  }
  const writer = wb as unknown as StreamingWorkbook;
  const sheet = ws as unknown as StreamingSheet;
  const medium = writer.getImage(writer.addImage({ buffer: png, extension: 'png' }));
  const drawings = (writer as unknown as { drawingCount?: number }).drawingCount = ((writer as unknown as { drawingCount?: number }).drawingCount ?? 0) + 1;
  const name = `drawing${drawings}`;
  writer.zip.append(drawingXml(at, size, 'rId1'), { name: `xl/drawings/${name}.xml` });
  writer.zip.append('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + `<Relationship Id="rId1" Type="${REL}/image" Target="../media/${medium.name}"/></Relationships>`, { name: `xl/drawings/_rels/${name}.xml.rels` });
  const rId = sheet._sheetRelsWriter.addRelationship({ Type: `${REL}/drawing`, Target: `../drawings/${name}.xml` });
  // <drawing> goes after the row breaks and before legacyDrawing in the sheet's XML.
  const writeRowBreaks = sheet._writeRowBreaks.bind(sheet);
  sheet._writeRowBreaks = () => {
    writeRowBreaks();
    sheet.stream.write(`<drawing r:id="${rId}"/>`);
  };
  // The drawing part's content type, beside what the writer lists.
  const addContentTypes = writer.addContentTypes.bind(writer);
  if (drawings === 1) {
    writer.addContentTypes = () => {
      const append = writer.zip.append.bind(writer.zip);
      writer.zip.append = (data, options) => {
        if (options.name === '[Content_Types].xml') {
          const count = (writer as unknown as { drawingCount: number }).drawingCount;
          const overrides = Array.from({ length: count }, (_, i) => `<Override PartName="/xl/drawings/drawing${i + 1}.xml" ContentType="${DRAWING_TYPE}"/>`).join('');
          data = String(data).replace('</Types>', `${overrides}</Types>`);
        }
        append(data, options);
      };
      return addContentTypes().finally(() => { writer.zip.append = append; });
    };
  }
}
