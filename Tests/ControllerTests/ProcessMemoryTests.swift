@testable import Controller
import Testing

@Suite struct ProcessMemoryTests {
    @Test func readOnlyFileMappingsAreFoundInProcMaps() {
        let code = "55d1c8a00000-55d1c9b0c000 r-xp 00000000 fd:01 1835050                    /usr/local/bin/token-warden\n"
        let range = ProcessMemory.readOnlyFileMapping(code)
        #expect(range?.start == 0x55d1_c8a0_0000)
        #expect(range?.end == 0x55d1_c9b0_c000)
        #expect(ProcessMemory.readOnlyFileMapping("7f10a0000000-7f10a0021000 r--p 00000000 fd:01 42 /usr/lib/libc.so.6") != nil)
    }

    @Test func writableAnonymousAndSpecialMappingsAreLeftAlone() {
        for line in [
            "55d1c9b0d000-55d1cbef7000 rw-p 0110c000 fd:01 1835050            /usr/local/bin/token-warden\n",
            "7f10a0000000-7f10a0021000 rw-p 00000000 00:00 0 \n",
            "7ffd5a1f2000-7ffd5a1f4000 r-xp 00000000 00:00 0                          [vdso]\n",
            "7f10a0000000-7f10a0021000 r--s 00000000 fd:01 42 /dev/shm/segment\n",
            "garbage",
        ] {
            #expect(ProcessMemory.readOnlyFileMapping(line) == nil)
        }
    }
}
