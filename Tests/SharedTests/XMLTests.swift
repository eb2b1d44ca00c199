// The XML reader accepts what suppliers send and refuses what is malformed, saying where.

@testable import Shared
import Testing

@Suite struct XMLTests {
    @Test func readsElementsAttributesTextEntitiesAndCDATA() throws {
        let text = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
            <!-- a supplier's answer -->
            <ota:OTA_HotelAvailRS xmlns:ota="http://www.opentravel.org/OTA/2003/05" Version='1.0'>
              <ota:Success/>
              <Name>Caf&#233; &amp; Bar &lt;Opera&gt; &#x4E0A;&quot;</Name>
              <Note><![CDATA[<b>not markup</b>]]></Note>
              <Empty>   </Empty>
            </ota:OTA_HotelAvailRS>
            """
        let root = try XMLElement(parsing: text)
        #expect(root.localName == "OTA_HotelAvailRS" && root["Version"] == "1.0")
        #expect(root.child("Success") != nil)
        #expect(root.child("Name")?.text == "Café & Bar <Opera> 上\"")
        #expect(root.child("Note")?.text == "<b>not markup</b>")
        #expect(root.child("Empty")?.text == "   ", "a leaf keeps its spaces")
        #expect(root.text == "", "whitespace between elements is layout")
    }

    @Test func writesWhatItReads() throws {
        let element = XMLElement("Root", [("A", "x \"y\" & <z>")], children: [XMLElement("Child", text: "a < b & c"), XMLElement("Empty")])
        #expect(try XMLElement(parsing: element.document) == element)
    }

    @Test(arguments: [
        ("", "empty document"),
        ("<A><B></A>", "</A> closes <B>"),
        ("<A x=1/>", "needs a quoted value"),
        ("<A x='1' x='2'/>", "appears twice"),
        ("<A>&nbsp;</A>", "unknown entity"),
        ("<A/><B/>", "content after the root element"),
        ("text<A/>", "text before the root element"),
        ("<!DOCTYPE a [<!ENTITY x 'y'>]><A/>", "document type declarations"),
        ("<A><B>", "unterminated element"),
        ("<A x='<'/>", "'<' inside an attribute value"),
        ("<A x='a &amp; <'/>", "'<' inside an attribute value"),
        ("<A x='1", "unexpected end of document"),
        ("<A>text", "unexpected end of document"),
    ])
    func refusesMalformedDocuments(_ text: String, _ problem: String) {
        #expect {
            try XMLElement(parsing: text)
        } throws: { error in
            (error as? XMLSyntaxError)?.description.contains(problem) == true
        }
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep = String(repeating: "<a>", count: XMLElement.maximumDepth + 1) + String(repeating: "</a>", count: XMLElement.maximumDepth + 1)
        #expect(throws: XMLSyntaxError.self) { try XMLElement(parsing: deep) }
        let fine = String(repeating: "<a>", count: 10) + String(repeating: "</a>", count: 10)
        #expect(throws: Never.self) { try XMLElement(parsing: fine) }
    }
}

@Suite struct CalendarArithmeticTests {
    @Test func daysRoundTripAcrossMonthsYearsAndLeapDays() {
        #expect(CalendarDate("1970-01-01")!.dayNumber == 0)
        #expect(CalendarDate("2024-02-28")!.adding(days: 1).description == "2024-02-29")
        #expect(CalendarDate("2023-02-28")!.adding(days: 1).description == "2023-03-01")
        #expect(CalendarDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(CalendarDate("2026-12-01")!.nights(until: CalendarDate("2026-12-04")!) == 3)
        #expect(CalendarDate("2026-12-01")!.nightsUntil(CalendarDate("2026-12-03")!).map(\.description) == ["2026-12-01", "2026-12-02"])
        for day in stride(from: -1000, through: 40000, by: 37) { #expect(CalendarDate(dayNumber: day).dayNumber == day) }
        #expect(CalendarDate("2026-12-01")!.instant(hour: 12).timeIntervalSince1970 == Double(CalendarDate("2026-12-01")!.dayNumber * 86400 + 43200))
    }
}
