/** The logging surface the panel code needs; the extension's `Log` satisfies it structurally. */
export interface PanelLog {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}
