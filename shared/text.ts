// Vietnamese text folding for matching names and header labels.
// Two strengths: `foldKey` keeps diacritics (so "Hòa" ≠ "Hóa"), `looseKey` drops them
// ("SO TAI CHINH" = "Sở Tài chính"). Both are insensitive to case, Unicode form
// (NFC/NFD), whitespace, punctuation and old/new tone-mark placement.

// Old-style tone placement ("hoà", "thuỵ") rewritten to the new style ("hòa", "thụy"),
// applied to both sides of a comparison so either spelling matches.
const OLD_TO_NEW: Record<string, string> = {
  'oà': 'òa', 'oá': 'óa', 'oả': 'ỏa', 'oã': 'õa', 'oạ': 'ọa',
  'oè': 'òe', 'oé': 'óe', 'oẻ': 'ỏe', 'oẽ': 'õe', 'oẹ': 'ọe',
  'uỳ': 'ùy', 'uý': 'úy', 'uỷ': 'ủy', 'uỹ': 'ũy', 'uỵ': 'ụy',
};
const OLD_PLACEMENT = new RegExp(Object.keys(OLD_TO_NEW).join('|'), 'g');

// Header labels, field names and unit names repeat across rows and files: fold each once.
const CACHE_LIMIT = 50_000;
function memo(f: (text: string) => string): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let v = cache.get(text);
    if (v === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(text, (v = f(text)));
    }
    return v;
  };
}

/** Case-, form-, spacing- and punctuation-insensitive key that keeps diacritics. */
export const foldKey = memo((text: string): string => {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(OLD_PLACEMENT, (m) => OLD_TO_NEW[m] ?? m)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
});

/** Like foldKey but without diacritics: "Đằng Hải" → "dang hai". */
export const looseKey = memo((text: string): string => {
  return foldKey(text)
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
});

/**
 * Lower case without diacritics, keeping punctuation and digits (unlike looseKey): lets a
 * pattern match "Từ ngày 16/05/2022" as "tu ngay 16/05/2022".
 */
export function plainLower(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').toLowerCase()) {
    const base = ch === 'đ' ? 'd' : ch.normalize('NFD')[0];
    out += base.length === ch.length ? base : ch;
  }
  return out;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
