/*
 * The site's entry format for Decap CMS: Pelican's `Key: value` header, a
 * blank line, then the text. Registered by the editor page as
 *
 *   CMS.registerCustomFormat("pelican", "md", fortsetzungFormat(FORTSETZUNG, "entry"));
 *   CMS.registerCustomFormat("pelican-serie", "md", fortsetzungFormat(FORTSETZUNG, "series"));
 *
 * Why so careful: an entry opened and saved unchanged must stay the same
 * bytes (git shows no change), and a saved entry must read in Pelican exactly
 * as the editor showed it. So the header is read by the site's one grammar
 * (safety/frontmatter.py: Python-Markdown's meta extension, after the
 * cleaning of safety/source.py), the header as it was read is kept in the
 * data (`_fortsetzung.header`), and `toFile` writes every field whose value
 * did not change as its original lines. A changed field becomes one line
 * `Name: value`, a new one is put at its place in the schema's order, an
 * emptied one loses its lines. Finally `toFile` reads what it wrote again
 * and refuses (a German Error, which Decap shows) to save anything that
 * would read differently from what the editor holds.
 *
 * `fromFile` never throws: Decap would show an empty form (and saving it
 * would empty the file). A header that breaks off (a line without `:`)
 * ends where Pelican ends it; the rest is the text, as Pelican sees it.
 *
 * `options` come from the server (sitetools/editor_config.py:
 * format_options), generated from the entry schema (fields.py), so that this
 * file holds no list of fields: `order` (field names per kind, in the
 * schema's order), `lists` (fields that are comma-separated lists),
 * `booleans` (yes/no fields), `empty` (fields `new` writes even without a
 * value, per kind). No dependencies; runs as a browser script (a global
 * `fortsetzungFormat`) and under Node (`require`).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.fortsetzungFormat = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Python-Markdown's meta extension (markdown/extensions/meta.py); match()
  // there anchors only at the start, so `---x` is a marker too.
  const META_RE = /^ {0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  const META_MORE_RE = /^ {4,}(.*)$/;
  const BEGIN_RE = /^-{3}/;
  const END_RE = /^(-{3}|\.{3})/;
  const KEY_RE = /^[A-Za-z0-9_-]+$/;
  const TAB_LENGTH = 4;
  // safety/source.py: characters other programs take as line ends (they
  // become spaces), and characters no text needs (they are removed).
  const SOFT_BREAKS = /[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]/g;
  const INVISIBLE =
    /[\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f\ufeff\ufdd0-\ufdef\ufffe\uffff]|[\u{1fffe}-\u{10ffff}]/gu;
  // What write_header refuses in a value: line breaks, controls (tab too),
  // and whatever reading would remove or replace.
  const NOT_IN_A_VALUE =
    /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\ufeff\ufdd0-\ufdef\ufffe\uffff]|[\u{1fffe}-\u{10ffff}]/u;
  // Values oldblog/private.py reads as "no"; every other value is "yes".
  const NO = new Set(["", "no", "nein", "false", "0"]);
  // Keys of the data that are not fields: a header key spelt like one of
  // them is kept in the file, but not shown.
  const RESERVED = new Set(["body", "_fortsetzung", "__proto__"]);

  function isNoncharacter(char) {
    const code = char.codePointAt(0);
    return code < 0x1fffe || (code & 0xfffe) === 0xfffe;
  }

  /** A line as the grammar sees it (source.py's cleaning, tabs expanded). */
  function cleaned(line) {
    const visible = line
      .replace(INVISIBLE, (char) => (isNoncharacter(char) ? "" : char))
      .replace(SOFT_BREAKS, " ");
    // str.expandtabs: columns count characters (code points, not UTF-16 units)
    let out = "";
    let column = 0;
    for (const char of visible) {
      const width = char === "\t" ? TAB_LENGTH - (column % TAB_LENGTH) : 1;
      out += char === "\t" ? " ".repeat(width) : char;
      column += width;
    }
    return out;
  }

  /**
   * Read the header at the start of `text` as frontmatter.py's read_lines.
   * Returns the BOM, the header's lines as written ({text, eol}), the fields
   * ({key, name, line, values, first, count}: `first`/`count` index `lines`;
   * `line` is 1-based), how it ended (`stop`: blank, marker, text, file),
   * the 1-based line that ended it (`end`, null at the end of the file),
   * whether it began with a line `---` (`begin`, then lines[0]) and the text
   * after it (`body`).
   */
  function readHeader(text) {
    const bom = text.startsWith("\ufeff") ? "\ufeff" : "";
    const lines = [];
    const fields = [];
    const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/y;
    pattern.lastIndex = bom.length;
    let stop = "file";
    let end = null;
    let begin = false;
    while (pattern.lastIndex < text.length) {
      const start = pattern.lastIndex;
      const [, raw, eol] = pattern.exec(text);
      const line = cleaned(raw);
      const number = lines.length + 1;
      if (number === 1 && BEGIN_RE.test(line)) {
        lines.push({ text: raw, eol });
        begin = true;
        continue;
      }
      if (line.trim() === "" || END_RE.test(line)) {
        lines.push({ text: raw, eol });
        stop = line.trim() === "" ? "blank" : "marker";
        end = number;
        break;
      }
      const key = META_RE.exec(line);
      const more = key ? null : META_MORE_RE.exec(line);
      if (key) {
        fields.push({
          key: key[1].toLowerCase(),
          name: key[1],
          line: number,
          values: [key[2].trim()],
          first: lines.length,
          count: 1,
        });
      } else if (more && fields.length) {
        const last = fields[fields.length - 1];
        last.values.push(more[1].trim());
        last.count += 1;
      } else {
        pattern.lastIndex = start; // this line is the first of the text
        stop = "text";
        end = number;
        break;
      }
      lines.push({ text: raw, eol });
    }
    return { bom, lines, fields, stop, end, begin, body: text.slice(pattern.lastIndex) };
  }

  /**
   * The format for files of `kind` ("entry": entries and pages, "series":
   * content/series/*.md), a key of `options.order`.
   */
  function fortsetzungFormat(options, kind = "entry") {
    const order = options.order[kind];
    if (!order) throw new Error(`fortsetzungFormat: no field order for the kind "${kind}"`);
    const lists = new Set(options.lists || []);
    const booleans = new Set(options.booleans || []);
    const writtenEmpty = new Set((options.empty || {})[kind] || []);
    // A key in any case means the schema's field of that name.
    const names = new Map();
    for (const list of Object.values(options.order)) {
      for (const name of list) names.set(name.toLowerCase(), name);
    }
    const position = new Map(order.map((name, index) => [name, index]));

    function nameOf(key) {
      return names.get(key.toLowerCase()) || key;
    }

    /** The data value of a header field's values (the editor's widgets' types). */
    function valueOf(name, values) {
      // continuation lines are one value: the editor's fields hold one line
      const value = values.join(" ").trim();
      if (lists.has(name)) {
        return value.split(",").map((item) => item.trim()).filter((item) => item);
      }
      if (booleans.has(name)) return !NO.has(value.toLowerCase());
      return value;
    }

    /** What the header says for a data value: the text after `Name: `. */
    function textOf(name, value) {
      if (value === undefined || value === null) return "";
      if (Array.isArray(value)) {
        // an item with a comma is several, as Pelican splits the line
        const items = value.flatMap((item) => textOf(name, item).split(","));
        return items.map((item) => item.trim()).filter((item) => item).join(", ");
      }
      if (typeof value === "boolean") return value ? "yes" : ""; // as the import writes
      if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
      if (typeof value === "string") return value.trim();
      throw new Error(`Das Feld „${name}“ hat einen Wert, den der Kopf nicht fassen kann.`);
    }

    function fromFile(text) {
      // Decap calls this with an entry object when there is no file text:
      // hand it back, as its own formats do with what they cannot read.
      if (typeof text !== "string") return text;
      const header = readHeader(text);
      const data = {};
      for (const field of header.fields) {
        const name = nameOf(field.name);
        if (RESERVED.has(name) || Object.hasOwn(data, name)) continue; // the first counts
        data[name] = valueOf(name, field.values);
      }
      data.body = header.body;
      data._fortsetzung = {
        header: text.slice(0, text.length - header.body.length),
        stop: header.stop,
      };
      return data;
    }

    function refuseUnwritable(name, text) {
      if (!KEY_RE.test(name)) {
        throw new Error(
          `„${name}“ kann kein Feldname sein: Feldnamen bestehen aus den Buchstaben ` +
            "A–Z, Ziffern, „_“ und „-“, ohne Leerzeichen."
        );
      }
      const found = NOT_IN_A_VALUE.exec(text);
      if (found) {
        const code = found[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
        throw new Error(
          `Das Feld „${name}“ enthält einen Zeilenumbruch oder ein anderes ` +
            `Steuerzeichen (U+${code}). Schreiben Sie es in eine Zeile.`
        );
      }
    }

    /** The fields to write: {name: text} of every field of `data`. */
    function textsOf(data) {
      const texts = new Map();
      for (const [name, value] of Object.entries(data)) {
        if (!RESERVED.has(name)) texts.set(name, textOf(name, value));
      }
      return texts;
    }

    /** Whether `header` reads as `texts` and `body` (fields by their text). */
    function readsAs(written, texts, body) {
      const data = fromFile(written);
      const read = textsOf(data);
      const all = new Set([...texts.keys(), ...read.keys()]);
      return (
        data.body === body &&
        [...all].every((name) => (texts.get(name) || "") === (read.get(name) || ""))
      );
    }

    function toFile(data) {
      const texts = textsOf(data);
      const body = typeof data.body === "string" ? data.body : "";
      const kept = data._fortsetzung || {};
      const isNew = typeof kept.header !== "string";
      const before = readHeader(isNew ? "" : kept.header);
      // whether the header ran straight into the text, without a line between
      const straight = kept.stop === "text";
      const eol = before.lines.map((line) => line.eol).find((e) => e) || "\n";
      const line = (name, text) => ({ text: text ? `${name}: ${text}` : `${name}:`, eol });

      // The original fields, each as its lines unless its value changed.
      const groups = [];
      const changed = new Map(); // by name: whether its (first) value changed
      for (const field of before.fields) {
        const name = nameOf(field.name);
        const lines = before.lines.slice(field.first, field.first + field.count);
        const text = texts.get(name) || "";
        const first = !changed.has(name);
        if (first) changed.set(name, text !== textOf(name, valueOf(name, field.values)));
        if (RESERVED.has(name) || !changed.get(name) || (!first && text !== "")) {
          groups.push({ name, lines }); // as it was (a duplicate too)
        } else if (text !== "") {
          refuseUnwritable(name, text);
          groups.push({ name, lines: [{ ...line(field.name, text), eol: lines[0].eol || eol }] });
        } // emptied: every line of it goes
      }
      // New fields, each after the last field that comes before it in the
      // schema (fields the schema does not know go last).
      for (const [name, text] of texts) {
        if (changed.has(name) || (text === "" && !(isNew && writtenEmpty.has(name)))) continue;
        refuseUnwritable(name, text);
        let at = position.has(name) ? 0 : groups.length;
        groups.forEach((group, index) => {
          if (position.get(group.name) < position.get(name)) at = index + 1;
        });
        groups.splice(at, 0, { name, lines: [line(name, text)] });
      }

      // Between header and text: the line that ended the header before; a
      // header of its own gets a blank line, as `new` writes it; otherwise
      // none, unless the text would then be read as a part of the header.
      const fieldLines = groups.flatMap((group) => group.lines);
      const ended = before.stop === "blank" || before.stop === "marker";
      const blank = [{ text: "", eol }];
      let endings = [[], blank];
      if (ended) endings = [before.lines.slice(-1)];
      else if (isNew || (fieldLines.length && body && !(straight && before.fields.length))) {
        endings = [blank];
      }
      for (const ending of endings) {
        const all = [...(before.begin ? before.lines.slice(0, 1) : []), ...fieldLines, ...ending];
        const last = all.length - 1;
        const written =
          before.bom +
          all.map((l, i) => l.text + (l.eol || (i < last || body ? eol : ""))).join("") +
          body;
        if (readsAs(written, texts, body)) return written;
      }
      throw new Error(
        "Der Beitrag lässt sich so nicht speichern: Der Kopf der Datei würde anders " +
          "gelesen, als der Editor ihn zeigt. Bitte melden Sie das Ihrer Betreuung."
      );
    }

    return { fromFile, toFile };
  }

  fortsetzungFormat.readHeader = readHeader; // for the tests: the grammar itself
  return fortsetzungFormat;
});
