/** The cell editor of the live site: CodeMirror 6 with TypeScript highlighting; Shift+Enter or Ctrl+Enter runs. */
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

export interface CellEditor {
  /** The text in the editor. */
  text(): string;
  /** Replace the text (setSource, Reset). */
  setText(text: string): void;
  focus(): void;
  destroy(): void;
}

const theme = EditorView.theme({
  "&": { fontSize: "13px", background: "#fff", border: "1px solid #0072b2", borderRadius: "6px" },
  "&.cm-focused": { outline: "2px solid rgba(0,114,178,.25)" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", padding: "6px 0" },
  ".cm-gutters": { background: "#f6f8fa", borderRight: "1px solid #e5e7eb", color: "#8a8f98" },
  ".cm-scroller": { lineHeight: "1.45" },
});

/** An editor in `parent` holding `doc`; `onChange` gets every new text, `onRun` is called by Shift/Ctrl+Enter. */
export function mountEditor(
  parent: HTMLElement,
  doc: string,
  onChange: (text: string) => void,
  onRun: () => void,
): CellEditor {
  const run = () => {
    onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        history(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript({ typescript: true }),
        keymap.of([
          { key: "Shift-Enter", run },
          { key: "Mod-Enter", run },
          indentWithTab,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorState.tabSize.of(2),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
        theme,
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    setText: (text) => {
      if (text !== view.state.doc.toString())
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
