// Finds the comments of a C/C++ text. Read from the original text, not the tree: the tree is built from text whose
// dead `#if` branches and decided directive lines are blanked, and a disable comment may sit on such a line.

export interface Comment {
  kind: 'line' | 'block';
  /** 0-based offsets of the whole comment, delimiters included. */
  start: number;
  end: number;
  /** The text between the delimiters. */
  value: string;
}

export function scanComments(text: string): Comment[] {
  const comments: Comment[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        let end = i + 2;
        // a backslash at the end of the line continues a line comment
        for (;;) {
          while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
          const back = text.charCodeAt(end - 1) === 92;
          if (!back || end >= n) break;
          end += text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1;
        }
        comments.push({ kind: 'line', start: i, end, value: text.slice(i + 2, end) });
        i = end;
        continue;
      }
      if (next === 42) {
        const close = text.indexOf('*/', i + 2);
        const end = close < 0 ? n : close + 2;
        comments.push({ kind: 'block', start: i, end, value: text.slice(i + 2, close < 0 ? n : close) });
        i = end;
        continue;
      }
    }
    if (c === 39 && startsWithDigit(text, i)) {
      // C++14 digit separator: 1'000'000
      i++;
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      // C++11 raw string: R"delim( ... )delim", maybe with an encoding prefix
      if (c === 34 && /(?:^|[^\w])(?:u8|u|U|L)?R$/.test(text.slice(Math.max(0, i - 4), i))) {
        const open = text.indexOf('(', i + 1);
        if (open > 0 && open - i <= 17) {
          const delimiter = ')' + text.slice(i + 1, open) + '"';
          const close = text.indexOf(delimiter, open + 1);
          i = close < 0 ? n : close + delimiter.length;
          continue;
        }
      }
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === 10 || d === 13) break;
        else i++;
      }
      continue;
    }
    i++;
  }
  return comments;
}

/** Whether the word just before `i` is a number (so a quote there separates digits). */
function startsWithDigit(text: string, i: number): boolean {
  let j = i;
  while (j > 0 && isWordChar(text.charCodeAt(j - 1))) j--;
  if (j === i) return false;
  const first = text.charCodeAt(j);
  return (first >= 48 && first <= 57) || (first === 46 && j + 1 < i);
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
