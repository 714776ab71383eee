// Rich-text buttons for the story body: a library photo, a gallery and a related-
// story card, stored as <figure data-photo="ID">, <figure data-gallery="ID,ID">
// and <figure data-story="ID"> (core/sanitize.py keeps exactly these). The reader
// page renders them (articles/figures.py); the editor shows a labelled block.
import { Node } from "django-prose-editor/editor";

const KINDS = ["photo", "gallery", "story"];

function describe(attrs) {
  if (attrs.gallery) {
    const count = attrs.gallery.split(",").length;
    return `Gallery of ${count} library photo${count === 1 ? "" : "s"} (${attrs.gallery})`;
  }
  if (attrs.photo) return `Library photo ${attrs.photo}${attrs.label ? `: ${attrs.label}` : ""}`;
  if (attrs.story) return `Related story ${attrs.story}${attrs.label ? `: ${attrs.label}` : ""}`;
  return "Figure";
}

function chooser() {
  if (!window.PhotoChooser) {
    window.alert("The photo library is not available on this page.");
    return null;
  }
  return window.PhotoChooser;
}

export const LibraryFigure = Node.create({
  name: "libraryFigure",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    const attributes = {
      // Shown in the editor only; never stored.
      label: { default: "", rendered: false },
    };
    for (const kind of KINDS) {
      attributes[kind] = {
        default: null,
        parseHTML: (element) => element.getAttribute(`data-${kind}`),
        renderHTML: (attrs) => (attrs[kind] ? { [`data-${kind}`]: attrs[kind] } : {}),
      };
    }
    return attributes;
  },

  parseHTML() {
    return KINDS.map((kind) => ({ tag: `figure[data-${kind}]` }));
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes];
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("div");
      dom.className = "prose-library-figure";
      dom.textContent = describe(node.attrs);
      dom.contentEditable = "false";
      return { dom };
    };
  },

  addCommands() {
    return {
      // After the selection, never over it: a figure just inserted stays selected.
      insertLibraryFigure:
        (attrs) =>
        ({ commands, state }) =>
          commands.insertContentAt(state.selection.to, { type: this.name, attrs }),
    };
  },

  addMenuItems({ menu, buttons }) {
    const insert = (editor, attrs) => editor.chain().focus().insertLibraryFigure(attrs).run();
    menu.defineItem({
      name: "libraryPhoto",
      groups: "nodes",
      button: buttons.material("add_photo_alternate", "Insert a library photo"),
      command(editor) {
        const desk = chooser();
        if (!desk) return;
        desk.choose({ multiple: false }).then((photo) => {
          if (photo) insert(editor, { photo: String(photo.id), label: photo.alt });
        });
      },
      enabled: () => true,
      active: () => false,
    });
    menu.defineItem({
      name: "libraryGallery",
      groups: "nodes",
      button: buttons.material("collections", "Insert a gallery"),
      command(editor) {
        const desk = chooser();
        if (!desk) return;
        desk.choose({ multiple: true }).then((photos) => {
          if (photos && photos.length) {
            insert(editor, { gallery: photos.map((photo) => String(photo.id)).join(",") });
          }
        });
      },
      enabled: () => true,
      active: () => false,
    });
    menu.defineItem({
      name: "relatedStory",
      groups: "nodes",
      button: buttons.material("article", "Insert a related-story card"),
      command(editor) {
        const desk = chooser();
        if (!desk) return;
        desk.chooseStory().then((story) => {
          if (story) insert(editor, { story: String(story.id), label: story.headline });
        });
      },
      enabled: () => true,
      active: () => false,
    });
  },
});
