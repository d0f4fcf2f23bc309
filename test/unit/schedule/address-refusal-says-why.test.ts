import { describe, expect, it } from "vitest";
import { AddressRefusedError, vettedAddresses } from "../../../src/schedule/public-address.js";

/** The refusal is for the operator's log: it names itself and says why the look-up failed. */
describe("a refused look-up says why in the operator's log", () => {
  it("names the resolver's error code when it has one", async () => {
    const failing = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND feeds.example.org"), { code: "ENOTFOUND" });
    };
    await expect(vettedAddresses("feeds.example.org", failing)).rejects.toThrow("look-up of feeds.example.org failed (ENOTFOUND)");
  });

  it("gives the error's message when the resolver's error has no code", async () => {
    const failing = async () => {
      throw new Error("resolver went away");
    };
    await expect(vettedAddresses("feeds.example.org", failing)).rejects.toThrow("look-up of feeds.example.org failed (resolver went away)");
  });

  it("is an AddressRefusedError by name, as the log line shows it", async () => {
    const error = await vettedAddresses("feeds.example.org", async () => []).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AddressRefusedError);
    expect((error as Error).name).toBe("AddressRefusedError");
    expect(String(error)).toBe("AddressRefusedError: look-up of feeds.example.org found no address");
  });
});
