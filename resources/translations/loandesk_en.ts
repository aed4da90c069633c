<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
            <location filename="../../ui/main_window.py" line="+367" />
            <source>%n application(s)</source>
            <translation>
                <numerusform>%n application</numerusform>
                <numerusform>%n applications</numerusform>
            </translation>
        </message>
    </context>
</TS>
