/** Prints the bench report of a bench JSON document; true when a float64 check failed. */
export declare function printBenchReport(doc: unknown, out?: { log(...a: unknown[]): void; table(data: unknown): void; error(...a: unknown[]): void }): boolean;
