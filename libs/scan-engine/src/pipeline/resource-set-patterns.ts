/**
 * Purview's built-in resource-set pattern rules, applied to the path segments of a blob name (folders and the file
 * name without its extension). A name in which any rule replaced something belongs to the resource set named by the
 * replaced path: `machinesets/23/foo.parquet` → `machinesets/{N}/foo.parquet`, `weblogs/en_au/23.json` →
 * `weblogs/{LOC}/{N}.json` (Learn: "Understanding resource sets", built-in patterns).
 *
 * Rules, in the order they are tried:
 * - `{Year}/{Month}/{Day}[/{Hour}[/{Minute}[/{Second}]]]`: a date spread over folders (yyyy/MM/dd/HH/mm/ss).
 * - `{SparkPartitions}`: a Spark part file (`part-00000-….c000.snappy.parquet`), the whole file name.
 * - `{GUID}`: an RFC 4122 GUID anywhere in a segment.
 * - Date/time formats inside a segment: yyyy-MM-dd, yyyy_MM_dd, yyyy.MM.dd or yyyyMMdd, optionally followed by a
 *   time (HH:mm[:ss], HH-mm[-ss], HHmm[ss] after `T`, `_`, `-` or a space) → `{Year}-{Month}-{Day}T{Hour}:{Minute}…`.
 * - `{LOC}`: a whole segment that is a language-region tag (en-us, en_au, de-DE).
 * - `{HEX}`: a 4-digit hexadecimal token with at least one letter and one digit (`a1b2`).
 * - `{N}`: any other run of digits.
 * Document formats (Office, PDF) are never grouped, as in Purview.
 */

export interface ResourceSetMatch {
  /** The blob name with the patterns in place of the variable parts, e.g. `logs/{Year}/{Month}/{Day}/{N}.csv`. */
  pattern: string;
  /**
   * The pattern's text before its first placeholder: every member's name starts with it, so once a sorted listing
   * has moved past it no more members can come.
   */
  literalPrefix: string;
}

const DOCUMENT_EXTENSIONS = new Set([
  'doc',
  'docm',
  'docx',
  'dot',
  'odp',
  'ods',
  'odt',
  'pdf',
  'pot',
  'pps',
  'ppsx',
  'ppt',
  'pptm',
  'pptx',
  'xlc',
  'xls',
  'xlsb',
  'xlsm',
  'xlsx',
  'xlt',
]);

/** ISO 639-1 languages accepted as the first half of a `{LOC}` tag (so that `my_db` is not a locale). */
const LANGUAGES = new Set(
  'ar bg bn ca cs cy da de el en es et eu fa fi fr ga gl he hi hr hu hy id is it ja ka kk ko lt lv mk ms mt nb nl nn no pl pt ro ru sk sl sq sr sv sw ta te th tr uk ur uz vi zh'.split(
    ' ',
  ),
);

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const SPARK_PART =
  /^part-\d{5}(?:-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?(?:-c\d{3})?(?:\.[A-Za-z0-9]+)*$/i;
const DATE_TIME =
  /(?<![0-9])((?:19|20|21)\d{2})([-_.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?:([T_ -])([01]\d|2[0-3])([:-]?)([0-5]\d)(?:\7([0-5]\d))?)?(?![0-9])/g;
const LOCALE = /^([a-z]{2})[-_]([a-z]{2})$/i;
const HEX4 = /(?<![0-9A-Za-z])(?=[0-9a-f]{0,3}[a-f])(?=[a-f]{0,3}[0-9])[0-9a-f]{4}(?![0-9A-Za-z])/gi;
const DIGITS = /\d+/g;
/** An extension: dot-separated parts that start with a letter, at the end of the name (`.csv`, `.csv.gz`, `.bz2`). */
const EXTENSION = /(?:\.[A-Za-z][A-Za-z0-9]{0,9})+$/;

const isYear = (s: string) => /^(?:19|20|21)\d{2}$/.test(s);
const isTwoDigits = (s: string, max: number, min = 0) => /^\d{2}$/.test(s) && Number(s) >= min && Number(s) <= max;

/** The resource set a blob belongs to, or undefined when no built-in rule applies (or it is a document). */
export function resourceSetOf(blobName: string): ResourceSetMatch | undefined {
  const segments = blobName.split('/');
  const file = segments.pop() ?? '';
  const extension = EXTENSION.exec(file)?.[0] ?? '';
  if (DOCUMENT_EXTENSIONS.has(extension.split('.').pop()?.toLowerCase() ?? '')) return undefined;

  const folders = replaceDateFolders(segments);
  let fileName: string;
  if (SPARK_PART.test(file)) fileName = '{SparkPartitions}';
  else {
    const stem = file.slice(0, file.length - extension.length);
    fileName = `${replaceInSegment(stem)}${extension}`;
  }
  const folderPath = folders.map((s) =>
    s.startsWith('{') && s.endsWith('}') && !s.slice(1).includes('{') ? s : replaceInSegment(s),
  );
  const pattern = [...folderPath, fileName].join('/');
  if (!pattern.includes('{')) return undefined;
  return { pattern, literalPrefix: pattern.slice(0, pattern.indexOf('{')) };
}

/** yyyy/MM/dd[/HH[/mm[/ss]]] spread over consecutive folders (the file name is never part of it). */
function replaceDateFolders(segments: string[]): string[] {
  const out = [...segments];
  for (let i = 0; i + 2 < out.length; i++) {
    if (!(isYear(out[i]) && isTwoDigits(out[i + 1], 12, 1) && isTwoDigits(out[i + 2], 31, 1))) continue;
    out[i] = '{Year}';
    out[i + 1] = '{Month}';
    out[i + 2] = '{Day}';
    const time: [string, number][] = [
      ['{Hour}', 23],
      ['{Minute}', 59],
      ['{Second}', 59],
    ];
    let j = i + 3;
    for (const [name, max] of time) {
      if (j < out.length && isTwoDigits(out[j], max)) out[j++] = name;
      else break;
    }
    i = j - 1;
  }
  return out;
}

/** The in-segment rules, most specific first; what a rule replaced is not looked at again. */
function replaceInSegment(segment: string): string {
  if (segment === '') return segment;
  const locale = LOCALE.exec(segment);
  if (locale && LANGUAGES.has(locale[1].toLowerCase())) return '{LOC}';
  // Placeholders are held as one private-use character each while later rules run, so they are never matched again.
  const held: string[] = [];
  const hold = (text: string) => String.fromCharCode(0xe000 + held.push(text) - 1);
  let s = segment.replace(GUID, () => hold('{GUID}'));
  s = s.replace(
    DATE_TIME,
    (
      _m,
      _y: string,
      sep: string,
      _mo: string,
      _d: string,
      tsep?: string,
      _h?: string,
      tdelim?: string,
      _mi?: string,
      sec?: string,
    ) => {
      let text = `{Year}${sep}{Month}${sep}{Day}`;
      if (tsep !== undefined)
        text += `${tsep}{Hour}${tdelim ?? ''}{Minute}${sec !== undefined ? `${tdelim ?? ''}{Second}` : ''}`;
      return hold(text);
    },
  );
  s = s.replace(HEX4, () => hold('{HEX}'));
  s = s.replace(DIGITS, () => hold('{N}'));
  return s.replace(/[\ue000-\uf8ff]/g, (c) => held[c.charCodeAt(0) - 0xe000]);
}

/**
 * The display name Purview gives a resource set: the last segment that has text besides placeholders and the
 * extension, separators as spaces (`sample-data/data{N}.csv` → `data`, `my-data/{Year}-{Month}-{Day}/{GUID}` → `my data`).
 */
export function resourceSetDisplayName(pattern: string): string {
  const segments = pattern.split('/');
  for (let i = segments.length - 1; i >= 0; i--) {
    const stem = i === segments.length - 1 ? segments[i].replace(EXTENSION, '') : segments[i];
    const text = stem
      .replace(/\{[A-Za-z]+\}/g, ' ')
      .replace(/[-_.\s]+/g, ' ')
      .trim();
    if (text) return text;
  }
  return pattern;
}
