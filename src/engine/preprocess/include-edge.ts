// An #include as the preprocessor met it: where, what it asked for, and the header it found.

export interface IncludeEdge {
  /** Line of the #include in the file that has it. */
  line: number;
  from: string;
  spec: string;
  angled: boolean;
  resolved?: string;
  /** The include path missed it and the scanned tree had it (include-search.ts). */
  searched?: true;
}
