/** Short messages for the user (errors from loading files and links, confirmations). */
export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export class ToastStore {
  private toasts: Toast[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getSnapshot = (): Toast[] => this.toasts;

  show(text: string, kind: Toast['kind'] = 'info', ms = kind === 'error' ? 8000 : 3000): void {
    const toast = { id: this.nextId++, kind, text };
    this.toasts = [...this.toasts, toast];
    this.emit();
    setTimeout(() => this.dismiss(toast.id), ms);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
    this.emit();
  }

  private emit() {
    for (const l of this.listeners) l();
  }
}
