// An X12 segment as the reader hands it on: its id, its raw elements and where it stood in the
// input, so every later finding (999 IK3/IK4, error lists) can name its place.

/** The four delimiters an interchange declares in its ISA segment. */
export interface Delimiters {
  /** ISA's 4th character (usually `*`). */
  element: string;
  /** ISA16 (usually `:` or `>`). */
  component: string;
  /** ISA11 in 5010 (usually `^`); null when ISA11 is not a separator (older `U`). */
  repetition: string | null;
  /** The character right after ISA16 (usually `~`); line breaks after it are tolerated. */
  segment: string;
}

export interface Segment {
  /** Segment id as written: `ISA`, `CLM`, `NM1`. */
  id: string;
  /**
   * Elements after the id, raw text (not split into components or repetitions):
   * `elements[0]` is CLM01, `elements[4]` is CLM05. Trailing empty elements may be absent.
   */
  elements: string[];
  /** 1-based position of the segment within its transaction set (ST = 1); 0 outside one. */
  position: number;
  /** Offset of the segment's first character in the input (characters, from 0). */
  offset: number;
  /** 1-based line of the segment's first character (files with one segment per line). */
  line: number;
  /** On ISA segments only: the delimiters that interchange declares. */
  delimiters?: Delimiters;
  /** Set on a last segment that the input ended inside, before its terminator. */
  unterminated?: true;
}
