// The XML of MSBuild files (.vcxproj, .props, .targets) as a small element tree. saxes is a conforming,
// non-validating parser: it reads no DTD, so an entity a hostile project declares is never expanded (it is an
// error, as is anything that is not well-formed XML). Only element names (without a namespace prefix),
// attributes and text are kept; the tree's depth is bounded.

import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** The local name: `ClCompile`, `PropertyGroup`. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), without the text of its children. */
  text: string;
}

export class XmlError extends Error {}

/** Deeper than any MSBuild file nests (Project > ItemDefinitionGroup > ClCompile > metadata is 4). */
const MAX_DEPTH = 64;

/** Parses a whole document; throws XmlError with the parser's message (line:column) when it is not well-formed. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const root: XmlElement = { name: '', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let failure: string | undefined;
  parser.on('error', (e) => {
    failure ??= e.message;
  });
  parser.on('opentag', (tag) => {
    if (stack.length > MAX_DEPTH) {
      failure ??= `elements nested more than ${MAX_DEPTH} deep`;
      return;
    }
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, value] of Object.entries(tag.attributes)) attributes[localName(key)] = String(value);
    const element: XmlElement = { name: localName(tag.name), attributes, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    if (stack.length > 1) stack.pop();
  });
  const addText = (t: string) => {
    stack[stack.length - 1]!.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).close();
  } catch (e) {
    failure ??= (e as Error).message;
  }
  if (failure !== undefined) throw new XmlError(failure);
  const top = root.children[0];
  if (!top) throw new XmlError('no root element');
  return top;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The child elements of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}
