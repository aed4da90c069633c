<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>CatalogDialog</name>
        <message numerus="yes">
            <location filename="../../ui/catalog_page.py" line="+237" />
            <source>%n item(s)</source>
            <translation>
                <numerusform>%n item</numerusform>
                <numerusform>%n items</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DashboardWindow</name>
        <message numerus="yes">
            <location filename="../../ui/dashboard/window.py" line="+132" />
            <source>Waiting over %n day(s)</source>
            <translation>
                <numerusform>Waiting over %n day</numerusform>
                <numerusform>Waiting over %n days</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DiagnosticsDialog</name>
        <message numerus="yes">
            <location filename="../../ui/diagnostics_dialog.py" line="+294" />
            <source>%n check(s) failed – tell IT what they say</source>
            <translation>
                <numerusform>%n check failed – tell IT what they say</numerusform>
                <numerusform>%n checks failed – tell IT what they say</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FieldTools</name>
        <message numerus="yes">
            <location filename="../../ui/field_tools.py" line="+204" />
            <source>%n application(s) exported to %1</source>
            <translation>
                <numerusform>%n application exported to %1</numerusform>
                <numerusform>%n applications exported to %1</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+47" />
            <source>Offline bundle %1 with %n application(s) written to %2.</source>
            <translation>
                <numerusform>Offline bundle %1 with %n application written to %2.</numerusform>
                <numerusform>Offline bundle %1 with %n applications written to %2.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+12" />
            <source>Bundle %1 of store %2 sent to head office (%n application(s)).</source>
            <translation>
                <numerusform>Bundle %1 of store %2 sent to head office (%n application).</numerusform>
                <numerusform>Bundle %1 of store %2 sent to head office (%n applications).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ListExport</name>
        <message numerus="yes">
            <location filename="../../ui/list_export.py" line="+160" />
            <source>%n application(s) exported to %1</source>
            <translation>
                <numerusform>%n application exported to %1</numerusform>
                <numerusform>%n applications exported to %1</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message numerus="yes">
            <location filename="../../ui/main_window.py" line="+358" />
            <source>%n application(s)</source>
            <translation>
                <numerusform>%n application</numerusform>
                <numerusform>%n applications</numerusform>
            </translation>
        </message>
    </context>
</TS>
