// A small MIME reader for the tests (nodemailer only composes): headers with folding and
// RFC 2047 encoded words, multipart bodies, base64 / quoted-printable transfer encodings.

export interface MimePart {
  headers: Map<string, string>;
  /** Content-Type without parameters, lower case. */
  type: string;
  params: Map<string, string>;
  /** Decoded body (transfer encoding undone); empty for multiparts. */
  body: Buffer;
  parts: MimePart[];
}

/** Decodes =?charset?B|Q?...?= words; whitespace between adjacent encoded words is dropped. */
export function decodeWords(value: string): string {
  const re = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;
  let out = '';
  let last = 0;
  let pending: Buffer[] = [];
  const flush = () => {
    if (pending.length) out += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const between = value.slice(last, m.index);
    if (!(pending.length && /^\s*$/.test(between))) {
      flush();
      out += between;
    }
    if (!/^utf-?8$/i.test(m[1])) throw new Error(`charset ${m[1]} not handled`);
    pending.push(m[2].toUpperCase() === 'B' ? Buffer.from(m[3], 'base64') : qBytes(m[3].replace(/_/g, ' ')));
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

function qBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'latin1'));
    }
  }
  return Buffer.from(bytes);
}

export function decodeQuotedPrintable(text: string): Buffer {
  return qBytes(text.replace(/=\r?\n/g, ''));
}

function parseParams(value: string): { type: string; params: Map<string, string> } {
  const [type, ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

export function parseMime(raw: Buffer | string): MimePart {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1'); // bytes kept 1:1
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const bodyText = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const { type, params } = parseParams(headers.get('content-type') ?? 'text/plain');
  if (type.startsWith('multipart/')) {
    const boundary = params.get('boundary');
    if (!boundary) throw new Error('multipart without boundary');
    const chunks = bodyText.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // chunks[0]: preamble; the last one starts with "--" (epilogue)
    const parts = chunks.slice(1).filter((c) => !c.startsWith('--')).map((c) => parseMime(c.replace(/^[ \t]*\r?\n/, '')));
    return { headers, type, params, body: Buffer.alloc(0), parts };
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body = encoding === 'base64' ? Buffer.from(bodyText.replace(/\s+/g, ''), 'base64')
    : encoding === 'quoted-printable' ? decodeQuotedPrintable(bodyText)
    : Buffer.from(bodyText, 'latin1');
  return { headers, type, params, body, parts: [] };
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leaves) : [part];
}

/** filename from Content-Disposition (plain, or RFC 2231 filename*=utf-8''...). */
export function filenameOf(part: MimePart): string | undefined {
  const { params } = parseParams(part.headers.get('content-disposition') ?? '');
  const star = params.get('filename*');
  if (star) return decodeURIComponent(star.replace(/^utf-8''/i, ''));
  const plain = params.get('filename') ?? part.params.get('name');
  return plain === undefined ? undefined : decodeWords(plain);
}
