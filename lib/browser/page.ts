/**
 * What a chapter page of the live site holds, shared by its inline loader (loader.ts) and the runner (runtime.ts).
 * scripts/live-page.js writes the page data as JSON into <script type="application/json" id="cbe-live-data">.
 */

/** One code cell of the chapter, by its position among the code cells (1 = the first, as "In [1]"). */
export interface LiveCellData {
  index: number;
  /** Runs in the page (its source is then given); false: a real experiment, or uses the results of one. */
  live: boolean;
  source?: string;
  /** Why a cell does not run in the page, in a sentence for the learner. */
  why?: string;
}

export interface LivePageData {
  /** The chapter's notebook, relative to the course folder: "notebooks/05-race-conditions.ipynb". */
  notebook: string;
  /** Where lib.js and editor.js are, relative to the page: "assets/live/". */
  assets: string;
  cells: LiveCellData[];
}

/** A cell of the page while it lives: its element, controls and state. */
export interface LiveCell {
  index: number;
  live: boolean;
  /** The source as the chapter has it (Reset), and as it is now (edited). */
  original: string;
  source: string;
  /** The cell's element (nbconvert's code cell), its code block, and the bar of controls above it. */
  el: HTMLElement;
  input: HTMLElement;
  bar: HTMLElement;
  buttons: { edit: HTMLButtonElement; run: HTMLButtonElement; reset: HTMLButtonElement };
  status: HTMLElement;
  /** Has run in this page (a cell below runs every live cell above it that has not). */
  ran: boolean;
}

/** What editor.js gives the loader once loaded. */
export interface LiveRuntime {
  edit(cell: LiveCell): void;
  setSource(cell: LiveCell, text: string): void;
  run(cell: LiveCell): Promise<void>;
  reset(cell: LiveCell): void;
}

/** The loader's hand-over: editor.js calls it with nothing; it returns the runtime for the page's cells. */
export type LiveStart = (cells: LiveCell[], data: LivePageData) => LiveRuntime;

declare global {
  interface Window {
    /** The page's live cells, for tests (see loader.ts). */
    cbeLive?: unknown;
    /** Set by editor.js when it has loaded. */
    cbeLiveStart?: LiveStart;
  }
}
